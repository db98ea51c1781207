using Hearth.Mail;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Notifications;

/// <summary>
/// One round of turning notifications into e-mail, in one transaction: the messages are queued (<see cref="QueuedMail"/>)
/// and the notifications marked dealt with (<see cref="Notification.MailedAt"/>) together, so a node that stops before
/// the commit leaves both undone and the next round does them, and one that stops after leaves both done. Marking only
/// rows still unmarked, and refusing the whole round when another node marked one first, keeps two rounds at once
/// (a lease that changed hands) from mailing anything twice.
/// </summary>
public sealed class NotificationMailRound(HearthDb db, MailQueue queue, PublicAddress address, UnsubscribeToken tokens, TimeProvider clock)
{
    /// <summary>People-and-kinds dealt with per round.</summary>
    public const int Keys = 200;

    /// <summary>Notifications per person and kind per round: at most this many single messages, or the items of one digest.</summary>
    public const int PerKey = 50;

    sealed record Due(long UserId, string Kind, string Delivery);

    /// <summary>Runs a round; true when there may be more due. <paramref name="beforeCommit"/> lets a test stop it at the worst moment.</summary>
    public async Task<bool> RunAsync(CancellationToken ct, Func<Task>? beforeCommit = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // Digests close on the hour and at midnight UTC: hourly ones batch what came before the current hour, daily ones
        // what came before today.
        var hour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        var day = new DateTime(now.Year, now.Month, now.Day, 0, 0, 0, DateTimeKind.Utc);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var due = DueQuery(hour, day);
        var keys = await due.Select(d => new { d.UserId, d.Kind, d.Delivery }).Distinct()
            .OrderBy(d => d.UserId).ThenBy(d => d.Kind).Take(Keys).ToListAsync(ct);
        var queued = 0;
        foreach (var key in keys)
        {
            var ids = await due.Where(d => d.UserId == key.UserId && d.Kind == key.Kind).OrderBy(d => d.Id).Select(d => d.Id).Take(PerKey).ToListAsync(ct);
            queued += await MailAsync(new Due(key.UserId, key.Kind, key.Delivery), ids, now, ct);
        }
        if (beforeCommit is not null)
        {
            await beforeCommit();
        }
        await transaction.CommitAsync(ct);
        if (queued > 0)
        {
            queue.Wake();
        }
        return keys.Count == Keys;
    }

    /// <summary>Notifications not dealt with yet whose time has come, with the delivery their person chose for their kind.</summary>
    IQueryable<DueRow> DueQuery(DateTime hour, DateTime day) =>
        from n in db.Notifications
        where n.MailedAt == null
        // Both outcomes of a held comment go under one choice (MailPreference.Held), and a mention under the choice for
        // replies until the person made one for mentions (MailPreference.Default); a welcome is never mailed (the person
        // has just commented, and reads it in their inbox), so it is dealt with at once.
        let kind = n.Kind == Notification.Approved || n.Kind == Notification.Declined ? MailPreference.Held : n.Kind
        let chosen = db.Set<MailPreference>().Where(p => p.UserId == n.UserId && p.Kind == kind).Select(p => p.Delivery).FirstOrDefault()
            ?? (kind == Notification.Mention
                ? db.Set<MailPreference>().Where(p => p.UserId == n.UserId && p.Kind == Notification.Reply).Select(p => p.Delivery).FirstOrDefault()
                : null)
        let delivery = n.Kind == WelcomeNotifications.Kind ? MailPreference.Never
            : chosen ?? (kind == Notification.Reply || kind == Notification.Mention || kind == MailPreference.Held ? MailPreference.Immediately : MailPreference.Daily)
        where delivery == MailPreference.Immediately || delivery == MailPreference.Never
            || (delivery == MailPreference.Hourly && n.CreatedAt < hour) || (delivery == MailPreference.Daily && n.CreatedAt < day)
        select new DueRow { Id = n.Id, UserId = n.UserId, Kind = kind, Delivery = delivery };

    sealed class DueRow
    {
        public long Id { get; init; }
        public long UserId { get; init; }
        public string Kind { get; init; } = "";
        public string Delivery { get; init; } = "";
    }

    async Task<int> MailAsync(Due key, List<long> ids, DateTime now, CancellationToken ct)
    {
        var marked = await db.Notifications.Where(n => ids.Contains(n.Id) && n.MailedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(n => n.MailedAt, now), ct);
        if (marked != ids.Count)
        {
            throw new DbUpdateConcurrencyException("Another node mailed some of these notifications first; this round is undone.");
        }
        if (key.Delivery == MailPreference.Never)
        {
            return 0;
        }
        var to = await db.Users.AsNoTracking().Where(u => u.Id == key.UserId && u.EmailConfirmed && u.Email != null).Select(u => u.Email).FirstOrDefaultAsync(ct);
        if (to is null)
        {
            return 0;
        }
        var digest = key.Delivery is MailPreference.Hourly or MailPreference.Daily;
        // Only what is public now, and for a digest only what the person has not read in the inbox meanwhile.
        var items = await (
            // As the inbox shows them.
            from x in Inbox.Shown(db.Notifications.AsNoTracking().Where(n => ids.Contains(n.Id) && (!digest || n.ReadAt == null)), db)
            join t in db.Threads on x.Notification.ThreadId equals t.Id
            join s in db.Sites on x.Notification.SiteId equals s.Id
            orderby x.Notification.Id
            select new MailedItem(x.Notification.Id, x.Notification.Kind, s.Name, t.Url, t.Title, x.Comment.Author.Name, x.Html, x.Comment.CreatedAt))
            .ToListAsync(ct);
        if (items.Count == 0)
        {
            return 0;
        }
        var unsubscribe = address.Link("/account/unsubscribe?token=" + Uri.EscapeDataString(tokens.Create(key.UserId, key.Kind)));
        var inbox = address.Link("/account/inbox");
        if (digest)
        {
            queue.Add(db, NotificationMail.Digest(to, key.Kind, key.Delivery, items, unsubscribe, inbox));
            await db.SaveChangesAsync(ct);
            return 1;
        }
        foreach (var item in items)
        {
            queue.Add(db, NotificationMail.Single(to, item, unsubscribe, inbox));
        }
        await db.SaveChangesAsync(ct);
        return items.Count;
    }
}
