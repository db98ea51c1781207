using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Notifications;

/// <summary>Identifier is the page's own (when its site gives one): with Url, what a reply to the thread is posted with.</summary>
public sealed record InboxThread(long Id, string Url, string? Title, string? Identifier);

/// <summary>The reply as it is now; <see cref="AnsweredId"/> is the person's own comment it answers.</summary>
public sealed record InboxComment(long Id, long? AnsweredId, string AuthorName, string Html, DateTime CreatedAt);

/// <summary>
/// Kind "reply": Comment answers one of theirs. Kind "welcome": Comment is their first here, Message the site's welcome.
/// Kinds "approved" and "declined": Comment is their own, held and then decided; a declined one comes without its words.
/// </summary>
public sealed record InboxItem(long Id, string Kind, DateTime CreatedAt, bool Read, string Site, InboxThread Thread, InboxComment Comment)
{
    /// <summary>The site's welcome as the owner words it now (plain text); only on a welcome.</summary>
    public string? Message { get; init; }
}

/// <summary>A notification with its comment, as <see cref="Inbox.Shown"/> reads them.</summary>
public sealed class ShownNotification
{
    public required Notification Notification { get; init; }
    public required Comment Comment { get; init; }
    public required string Html { get; init; }
}

/// <summary>A page of the inbox, newest first; <see cref="Next"/> is the cursor (before=) of the page after, null at the end.</summary>
public sealed record InboxSlice(IReadOnlyList<InboxItem> Items, int Unread, long? Next);

/// <summary>
/// One person's notifications across every site of the instance. Only what is public now is shown or counted: the
/// words come from the comment at the moment of reading, never from a copy.
/// </summary>
public sealed class Inbox(HearthDb db, TimeProvider clock)
{
    public const int MaxLimit = 50;

    /// <summary>Counted up to this many; an inbox shows "99+" beyond, and the count stays one bounded read.</summary>
    public const int UnreadCountLimit = 100;

    public const int MaxMarked = 200;

    /// <summary>More than the notifications one comment can make for one person (one of each kind, by the unique key).</summary>
    const int OneCommentsMost = 8;

    /// <summary>How many of the person's latest notifications the unread count looks at.</summary>
    public const int UnreadLookBack = 1_000;

    /// <summary>
    /// The person's notifications, of one site when <paramref name="siteId"/> is given: a site's pages hold the widget's
    /// token where the site's own scripts can read it, so through a site only that site's part of the inbox is open.
    /// The whole inbox is on Hearth's own page.
    /// </summary>
    IQueryable<Notification> Mine(long userId, long? siteId) =>
        siteId is { } site
            ? db.Notifications.AsNoTracking().Where(n => n.UserId == userId && n.SiteId == site)
            : db.Notifications.AsNoTracking().Where(n => n.UserId == userId);

    public async Task<InboxSlice> ReadAsync(long userId, long? before, bool unreadOnly, int limit, CancellationToken ct, string? kind = null,
        long? siteId = null)
    {
        var take = Math.Clamp(limit, 1, MaxLimit);
        var mine = Mine(userId, siteId);
        if (kind is not null)
        {
            mine = mine.Where(n => n.Kind == kind);
        }
        if (before is { } cursor)
        {
            mine = mine.Where(n => n.CommentId < cursor);
        }
        if (unreadOnly)
        {
            mine = mine.Where(n => n.ReadAt == null);
        }
        var rows = await (
            from x in Shown(mine, db)
            join t in db.Threads on x.Notification.ThreadId equals t.Id
            join s in db.Sites on x.Notification.SiteId equals s.Id
            // By the comment's place in time, not by when the notification was written: followed conversations' comments
            // are handed out in the background, after replies written with the comment.
            orderby x.Notification.CommentId descending, x.Notification.Id descending
            select new
            {
                x.Notification.Id, x.Notification.Kind, x.Notification.CreatedAt, x.Notification.ReadAt, Site = s.Name, s.WelcomeMessage,
                ThreadId = t.Id, t.Url, t.Title, t.Identifier,
                CommentId = x.Comment.Id, x.Comment.ReplyToId, x.Comment.ParentId, AuthorName = x.Comment.Author.Name, x.Html,
                CommentCreatedAt = x.Comment.CreatedAt,
            }).Take(take + OneCommentsMost).ToListAsync(ct);
        // The cursor is a comment: a page ends between two comments, never between two notifications of one (a reply
        // that also names the person, a welcome to a comment just approved), or the older page would skip the second.
        var end = Math.Min(take, rows.Count);
        while (end < rows.Count && rows[end].CommentId == rows[end - 1].CommentId)
        {
            end++;
        }
        var items = rows.Take(end).Select(r => new InboxItem(r.Id, r.Kind, r.CreatedAt, r.ReadAt is not null, r.Site,
            new InboxThread(r.ThreadId, r.Url, r.Title, r.Identifier),
            new InboxComment(r.CommentId, r.ReplyToId ?? r.ParentId, r.AuthorName, r.Html, r.CommentCreatedAt))
        {
            // A welcome whose site has since stopped welcoming still shows, with no words of its own.
            Message = r.Kind == WelcomeNotifications.Kind ? r.WelcomeMessage : null,
        }).ToList();
        return new InboxSlice(items, await UnreadAsync(userId, ct, siteId), rows.Count > end ? items[^1].Comment.Id : null);
    }

    /// <summary>
    /// Unread among the person's latest notifications: the widget asks every minute, and replies that moderators took
    /// down stay in the table, so the count looks at a bounded number of rows however many of those there are.
    /// </summary>
    public Task<int> UnreadAsync(long userId, CancellationToken ct, long? siteId = null) =>
        Shown(Mine(userId, siteId).OrderByDescending(n => n.CommentId).Take(UnreadLookBack).Where(n => n.ReadAt == null), db)
            .Take(UnreadCountLimit).CountAsync(ct);

    /// <summary>
    /// The notifications that are shown (and mailed), each with its comment as it is now: a declined one while its
    /// comment stays turned down, every other kind while its comment is public. <see cref="ShownNotification.Html"/> is
    /// what may be shown of the comment: words that were turned down are never served again, not even to their writer.
    /// </summary>
    public static IQueryable<ShownNotification> Shown(IQueryable<Notification> notifications, HearthDb db) =>
        from n in notifications
        join c in db.Comments on n.CommentId equals c.Id
        where (n.Kind != Notification.Declined && c.Status == CommentStatus.Published)
            || (n.Kind == Notification.Declined && (c.Status == CommentStatus.Rejected || c.Status == CommentStatus.Spam))
        select new ShownNotification { Notification = n, Comment = c, Html = n.Kind == Notification.Declined ? "" : c.Html };

    /// <summary>Marks the person's own notifications read (the listed ones, or all); returns how many changed.</summary>
    public Task<int> MarkReadAsync(long userId, IReadOnlyCollection<long>? ids, CancellationToken ct, long? siteId = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var query = db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null);
        if (siteId is { } site)
        {
            query = query.Where(n => n.SiteId == site);
        }
        if (ids is not null)
        {
            query = query.Where(n => ids.Contains(n.Id));
        }
        return query.ExecuteUpdateAsync(u => u.SetProperty(n => n.ReadAt, now), ct);
    }
}
