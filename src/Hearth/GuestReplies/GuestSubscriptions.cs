using Hearth.Accounts;
using Hearth.Conversations;
using Hearth.Mail;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.GuestReplies;

/// <summary>
/// A guest asks for replies by e-mail when they post; the address's owner confirms by a link; a link in every reply
/// e-mail ends it. The ask runs after the comment is stored, in a small transaction of its own, so the post itself costs
/// nothing more, and a failure here never loses the comment.
/// </summary>
public sealed class GuestSubscriptions(HearthDb db, MailQueue queue, PublicAddress address, GuestReplyTokens tokens, AccountLimits limits,
    TimeProvider clock, ILogger<GuestSubscriptions> logger)
{
    /// <summary>At most one confirmation mail per address and site in this time, whoever asks and under whatever name.</summary>
    public static readonly TimeSpan AskAgainAfter = TimeSpan.FromDays(1);

    /// <summary>As <see cref="AskAsync"/>, but a failure is logged and the post still answers: its comment is stored.</summary>
    public async Task TryAskAsync(long commentId, CancellationToken ct)
    {
        try
        {
            await AskAsync(commentId, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not ask for reply e-mails for comment {Comment}", commentId);
        }
    }

    /// <summary>
    /// The guest who wrote this comment wants its replies by e-mail. Sends a confirmation mail unless the subscription
    /// is confirmed already, or the address had one from this site within a day. Nothing for a comment held as spam or
    /// rejected: a spam run must not become a way to mail strangers.
    /// </summary>
    public async Task AskAsync(long commentId, CancellationToken ct)
    {
        var comment = await db.Comments.AsNoTracking().Where(c => c.Id == commentId)
            .Select(c => new { c.SiteId, c.Status, c.Author.Kind, c.Author.Key, c.Author.Email }).FirstOrDefaultAsync(ct);
        if (comment is not { Kind: AuthorKind.Guest, Email: { Length: > 0 } email } || comment.Status is not (CommentStatus.Published or CommentStatus.Pending))
        {
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var existing = await db.Set<GuestSubscription>().FirstOrDefaultAsync(s => s.SiteId == comment.SiteId && s.GuestKey == comment.Key, ct);
        if (existing is { State: GuestSubscription.Confirmed }
            || await db.Set<GuestSubscription>().AnyAsync(s => s.Email == email && s.SiteId == comment.SiteId && s.LastAskedAt > now - AskAgainAfter, ct)
            // The address is nobody's proven one yet: it counts towards the instance's daily share for such messages too.
            || !await limits.TryMailAsync(email, ct))
        {
            return;
        }
        var subscription = existing ?? new GuestSubscription { SiteId = comment.SiteId, GuestKey = comment.Key, Email = email, CreatedAt = now };
        subscription.LastAskedAt = now;
        if (existing is null)
        {
            db.Add(subscription);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            // Saved first for its id, which the link names; the mail is queued in the same transaction.
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same guest asked at the same moment from another request, which sends the one mail.
            logger.LogDebug("A reply e-mail subscription was asked for twice at once; the other request sends the mail.");
            return;
        }
        var site = await db.Sites.AsNoTracking().Where(s => s.Id == comment.SiteId).Select(s => s.Name).FirstAsync(ct);
        queue.Add(db, ConfirmationMail(email, site, address.Link("/guest-replies/confirm?token=" + Uri.EscapeDataString(tokens.Create(GuestReplyTokens.Confirm, subscription.Id, subscription.GuestKey)))));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        queue.Wake();
    }

    /// <summary>
    /// The address's owner has not proven it yet, so the message carries no word of whoever asked: not their name, not
    /// their comment, not the page's title or address (the poster chose those too). Only the site's name, which its
    /// owner chose.
    /// </summary>
    static OutgoingMail ConfirmationMail(string to, string site, string link) => new(to, $"Confirm reply e-mails from {site}",
        $"Hello,\n\nsomeone commented on the site \"{site}\" with this e-mail address and asked to get replies by e-mail. " +
        $"If that was you, open this link and press the button to confirm:\n\n{link}\n\n" +
        $"The link works for {GuestReplyTokens.ConfirmLifetime.TotalDays:0} days. If it was not you, ignore this message: nothing more is sent without the link.\n");

    /// <summary>The subscription a token of this purpose names, if it is genuine and the subscription still exists.</summary>
    public async Task<GuestSubscription?> FindAsync(string purpose, string? token, CancellationToken ct)
    {
        if (tokens.Read(token) is not { } id)
        {
            return null;
        }
        var subscription = await db.Set<GuestSubscription>().FirstOrDefaultAsync(s => s.Id == id, ct);
        return subscription is not null && tokens.Matches(purpose, token!, subscription) ? subscription : null;
    }

    public async Task ConfirmAsync(GuestSubscription subscription, CancellationToken ct)
    {
        if (subscription.State == GuestSubscription.Confirmed)
        {
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Set<GuestSubscription>().Where(s => s.Id == subscription.Id && s.State == GuestSubscription.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.State, GuestSubscription.Confirmed).SetProperty(s => s.ConfirmedAt, now), ct);
    }

    /// <summary>Ends it: the row goes, with the record of what was mailed to it.</summary>
    public async Task StopAsync(GuestSubscription subscription, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Set<GuestReplyMail>().Where(m => m.SubscriptionId == subscription.Id).ExecuteDeleteAsync(ct);
        await db.Set<GuestSubscription>().Where(s => s.Id == subscription.Id).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// An account claimed the guest comments written with this address: replies to them are the account's now, and reach
    /// it as its own e-mail choices say, so the guest's subscriptions with that address end, on every site.
    /// </summary>
    public static async Task EndForClaimAsync(HearthDb db, string email, CancellationToken ct)
    {
        var ids = db.Set<GuestSubscription>().Where(s => s.Email == email).Select(s => s.Id);
        await db.Set<GuestReplyMail>().Where(m => ids.Contains(m.SubscriptionId)).ExecuteDeleteAsync(ct);
        await db.Set<GuestSubscription>().Where(s => s.Email == email).ExecuteDeleteAsync(ct);
    }
}
