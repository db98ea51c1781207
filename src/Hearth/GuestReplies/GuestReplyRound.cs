using System.Globalization;
using Hearth.Conversations;
using Hearth.Mail;
using Hearth.Notifications;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.GuestReplies;

/// <summary>
/// One round of mailing replies to guests who confirmed, read from the threads' log after a cursor. The messages, the
/// record of what was mailed and the cursor are written in one transaction: a node that stops before the commit leaves
/// all three undone, one that stops after leaves all three done. On PostgreSQL, ids become visible out of order, so
/// each round looks back behind its cursor, and the record (unique per subscription and reply) keeps a reply seen twice
/// from being mailed twice, as it does two rounds at once.
/// </summary>
public sealed class GuestReplyRound(HearthDb db, MailQueue queue, PublicAddress address, GuestReplyTokens tokens, TimeProvider clock)
{
    public const string Cursor = "notifications:guests:cursor";

    /// <summary>Log entries read, and at most as many messages queued, per round.</summary>
    public const int Batch = 200;

    /// <summary>
    /// Only replies this recent are mailed, and the record of a mailed one is kept twice as long: on a quiet instance the
    /// look-back reaches old entries at every round, and a reply whose record was dropped must not come back.
    /// </summary>
    public static readonly TimeSpan Recent = TimeSpan.FromDays(7);

    sealed record Due(long EventId, long SubscriptionId, string Email, long CommentId, string Site, string Url, string? Title, string AuthorName,
        string Html, string GuestKey);

    /// <summary>One batch; true when there may be more. <paramref name="beforeCommit"/> lets a test stop it at the worst moment.</summary>
    public async Task<bool> RunAsync(CancellationToken ct, Func<Task>? beforeCommit = null)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var last = await db.ThreadEvents.MaxAsync(e => (long?)e.Id, ct) ?? 0;
        var setting = await db.InstanceSettings.FirstOrDefaultAsync(s => s.Name == Cursor, ct);
        if (setting is null)
        {
            // A new instance (or one from before this existed) starts from now.
            db.InstanceSettings.Add(new InstanceSetting { Name = Cursor, Value = last.ToString(CultureInfo.InvariantCulture) });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return false;
        }
        var cursor = long.Parse(setting.Value, CultureInfo.InvariantCulture);
        // Nothing new to read (a quiet instance): the round only clears what has expired.
        var window = LogWindow.Of(db, cursor, last, Batch) ?? new LogWindow(cursor, cursor);
        var (start, upTo) = (window.From, window.UpTo);
        var since = now - Recent;
        // A published reply (new, or approved by a moderator: both are logged as created) to a comment whose guest
        // confirmed reply e-mails on that site before the reply came, not written by that same guest, not mailed yet.
        var due = start >= upTo ? [] : await (
            from e in db.ThreadEvents.AsNoTracking()
            where e.Id > start && e.Id <= upTo && e.Type == ThreadEvent.Created && e.At >= since
                && e.ParentAuthorKey != null && e.AuthorKey != e.ParentAuthorKey
            join c in db.Comments on e.CommentId equals c.Id
            where c.Status == CommentStatus.Published && c.Author.Key != e.ParentAuthorKey
            join s in db.Set<GuestSubscription>() on new { e.SiteId, Key = e.ParentAuthorKey! } equals new { s.SiteId, Key = s.GuestKey }
            where s.State == GuestSubscription.Confirmed && s.ConfirmedAt <= e.At
                && !db.Set<GuestReplyMail>().Any(m => m.SubscriptionId == s.Id && m.CommentId == c.Id)
            join t in db.Threads on c.ThreadId equals t.Id
            join site in db.Sites on c.SiteId equals site.Id
            orderby e.Id
            select new Due(e.Id, s.Id, s.Email, c.Id, site.Name, t.Url, t.Title, c.Author.Name, c.Html, s.GuestKey)).Take(Batch).ToListAsync(ct);
        foreach (var reply in due.DistinctBy(d => (d.SubscriptionId, d.CommentId)))
        {
            db.Add(new GuestReplyMail { SubscriptionId = reply.SubscriptionId, CommentId = reply.CommentId, MailedAt = now });
            var stop = tokens.Create(GuestReplyTokens.Stop, reply.SubscriptionId, reply.GuestKey);
            queue.Add(db, GuestReplyMailText.For(reply.Email, reply.Site, reply.Url, reply.Title, reply.AuthorName, reply.Html,
                address.Link("/guest-replies/stop?token=" + Uri.EscapeDataString(stop))));
        }
        // A full batch may have left some out: the cursor stops at the last entry mailed, and the next round goes on.
        var full = due.Count == Batch;
        setting.Value = Math.Max(cursor, full ? Math.Min(upTo, due[^1].EventId) : upTo).ToString(CultureInfo.InvariantCulture);
        await db.SaveChangesAsync(ct);
        await db.Set<GuestReplyMail>().Where(m => m.MailedAt < now - 2 * Recent).ExecuteDeleteAsync(ct);
        await db.Set<GuestSubscription>().Where(s => s.State == GuestSubscription.Pending && s.LastAskedAt < now - GuestReplyTokens.ConfirmLifetime)
            .ExecuteDeleteAsync(ct);
        if (beforeCommit is not null)
        {
            await beforeCommit();
        }
        await transaction.CommitAsync(ct);
        if (due.Count > 0)
        {
            queue.Wake();
        }
        return upTo < last || full;
    }
}
