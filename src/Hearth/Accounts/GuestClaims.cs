using System.Net.Mail;
using System.Security.Cryptography;
using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Live;
using Hearth.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Accounts;

public sealed record ClaimForm(string? Email);

/// <summary>
/// Comments someone wrote as a guest, with an e-mail address, become their account's once they prove the address is
/// theirs: at once for the address their account is confirmed with, through a link sent to any other.
/// </summary>
public sealed class GuestClaims(HearthDb db, WriteGate gate, InstanceKey keys, ThreadChanges changes, TimeProvider clock,
    IDataProtectionProvider protection)
{
    static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(24);

    ITimeLimitedDataProtector Protector => protection.CreateProtector("Hearth.Accounts.GuestClaim").ToTimeLimitedDataProtector();

    public static IResult Form(HttpContext http, string? email, string? error = null, int status = 200) => Page(http, "Claim your guest comments", $"""
        <p class="hint">Wrote comments as a guest and gave your e-mail address? Prove the address is yours and they join your profile.</p>
        {Error(error)}
        <form method="post" action="/account/claim" novalidate>
        {Csrf(http)}
        <label for="email">The address you gave</label><input id="email" name="email" type="email" required value="{E(email)}">
        <button type="submit">Claim</button>
        </form>
        <p class="muted"><a href="/account">Back to your account</a></p>
        """, status: status);

    public static async Task<IResult> ShowAsync(HttpContext http, UserManager<HearthUser> users)
    {
        var user = await users.GetUserAsync(http.User);
        return user is null ? TypedResults.Redirect("/account/signin") : Form(http, user.Email);
    }

    public static async Task<IResult> SubmitAsync(HttpContext http, [Microsoft.AspNetCore.Mvc.FromForm] ClaimForm form,
        UserManager<HearthUser> users, AccountLimits limits, GuestClaims claims, CancellationToken ct)
    {
        var user = await users.GetUserAsync(http.User);
        if (user is null)
        {
            return TypedResults.Redirect("/account/signin");
        }
        var email = form.Email?.Trim().ToLowerInvariant() ?? "";
        if (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
        {
            return Form(http, form.Email, "That e-mail address does not look right.", 400);
        }
        if (!await limits.TryAttemptAsync("claim", email, ct))
        {
            return Form(http, form.Email, "Too many attempts for this address. Please wait a few minutes and try again.", 429);
        }
        if (user.EmailConfirmed && string.Equals(user.Email, email, StringComparison.OrdinalIgnoreCase))
        {
            var count = await claims.ClaimAsync(user, email, CancellationToken.None);
            return Page(http, "Claimed", $"<p>{count} guest comment{(count == 1 ? "" : "s")} written with {E(email)} now belong to your profile.</p><p><a href=\"/account\">Back to your account</a></p>");
        }
        // The link goes to an address nobody has proven: each inbox gets a few a day, whoever asks.
        if (!await limits.TryMailAsync(email, ct))
        {
            return Form(http, form.Email, "We have sent enough messages to that address for today. Please try again tomorrow.", 429);
        }
        await claims.SendLinkAsync(http, user, email, ct);
        return Page(http, "Check that inbox", $"<p>We sent a link to <strong>{E(email)}</strong>. Open it while signed in here to claim the comments.</p>");
    }

    public static async Task<IResult> ConfirmAsync(HttpContext http, string? token, UserManager<HearthUser> users, GuestClaims claims, CancellationToken ct)
    {
        var user = await users.GetUserAsync(http.User);
        if (user is null)
        {
            return TypedResults.Redirect("/account/signin?returnUrl=" + Uri.EscapeDataString("/account/claim/confirm?token=" + token));
        }
        if (claims.Read(token) is not { } claim || claim.UserId != user.Id)
        {
            return Page(http, "This link does not work", "<p>It may have expired (links work for 24 hours), or it was sent for another account.</p>", status: 400);
        }
        var count = await claims.ClaimAsync(user, claim.Email, CancellationToken.None);
        return Page(http, "Claimed", $"<p>{count} guest comment{(count == 1 ? "" : "s")} written with {E(claim.Email)} now belong to your profile.</p><p><a href=\"/account\">Back to your account</a></p>");
    }

    Task SendLinkAsync(HttpContext http, HearthUser user, string email, CancellationToken ct) =>
        http.RequestServices.GetRequiredService<AccountMail>().ClaimAsync(email, Protector.Protect($"{user.Id}\n{email}", LinkLifetime), ct);

    (long UserId, string Email)? Read(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        try
        {
            var parts = Protector.Unprotect(token).Split('\n', 2);
            return (long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts[1]);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>
    /// Comments claimed in one turn at the write gate: someone who wrote thousands of comments as a guest, claimed in one
    /// transaction, held every writer of the node (and, on PostgreSQL, every thread they wrote in) for the whole of it.
    /// </summary>
    internal const int PerTurn = 500;

    /// <summary>
    /// The guest comments written with this address become the member's: their name, their key, no stored address. In
    /// turns of <see cref="PerTurn"/>, each a transaction of its own; the guests each turn's comments were written as
    /// become the account's person on their sites in the same turn (a guest merged once is not merged again), so a
    /// claim cut short leaves every comment counted once, and claiming again finishes.
    /// </summary>
    /// <remarks>
    /// Callers on a request pass no request token: a browser that stops waiting must not leave the claim half done.
    /// </remarks>
    public async Task<int> ClaimAsync(HearthUser user, string email, CancellationToken ct)
    {
        var count = 0;
        var after = 0L;
        while (await ClaimTurnAsync(user, email, after, ct) is { } turn)
        {
            await changes.PublishAsync();
            count += turn.Count;
            after = turn.Last;
        }
        return count;
    }

    /// <returns>How many comments the turn claimed and the last one's id, or null when none is left after <paramref name="after"/>.</returns>
    async Task<(int Count, long Last)?> ClaimTurnAsync(HearthUser user, string email, long after, CancellationToken ct)
    {
        using (await gate.EnterAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;
            // Their threads are locked first, in the one order all writers use; the comments are read after, as they now are.
            var ids = await db.Comments.Where(c => c.Author.Kind == AuthorKind.Guest && c.Author.Email == email && c.Id > after)
                .OrderBy(c => c.Id).Select(c => c.Id).Take(PerTurn).ToListAsync(ct);
            if (ids.Count == 0)
            {
                // Nothing left to claim, and so nothing to tell this address of as a guest any more.
                await GuestReplies.GuestSubscriptions.EndForClaimAsync(db, email, ct);
                await transaction.CommitAsync(ct);
                return null;
            }
            await ThreadLocks.OfCommentsAsync(db, ids, ct);
            var comments = await db.Comments.Where(c => ids.Contains(c.Id) && c.Author.Kind == AuthorKind.Guest && c.Author.Email == email)
                .OrderBy(c => c.Id).ToListAsync(ct);
            var key = keys.Hash("author", "member\n" + user.Id);
            // The name and picture as they are now, not as the caller read them: a rename whose refresh ran while this
            // waited for the threads did not see these comments as the member's yet, so only this can give them the new name.
            var face = await db.Users.AsNoTracking().Where(u => u.Id == user.Id).Select(u => new { u.DisplayName, u.Website }).FirstAsync(ct);
            var avatar = await db.UploadedAvatars.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == user.Id, ct);
            var guests = comments.Select(c => (c.SiteId, c.Author.Key)).Distinct().ToList();
            // The records merged below, of the guests and of the member on each site, locked in the one order.
            await ThreadLocks.OfPeopleAsync(db, [.. guests, .. guests.Select(g => g.SiteId).Distinct().Select(s => (s, key))], [], ct);
            foreach (var comment in comments)
            {
                comment.ClaimFor(user.Id, face.DisplayName, face.Website, avatar?.Url, key);
                await ThreadLog.AppendAsync(db, comment, ThreadEvent.Updated, comment.Status, key, now, ct);
            }
            await db.SaveChangesAsync(ct);
            // The guests they were become the account's person on each site, on record.
            foreach (var site in guests.GroupBy(g => g.SiteId))
            {
                await People.PersonMerge.IntoAsync(db, site.Key, [.. site.Select(g => g.Key)], comments.First(c => c.SiteId == site.Key).Author, ct);
            }
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
            return (comments.Count, ids[^1]);
        }
    }
}
