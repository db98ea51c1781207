using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Notifications;

/// <summary>
/// The newest comment of a conversation that concerns the person: one written to them or in a conversation they follow
/// (with its <see cref="NotificationId"/>, which a reply from the inbox names), or their own. Public now, as read.
/// </summary>
public sealed record ConversationLatest(long CommentId, string Kind, long? NotificationId, string AuthorName, string Html, DateTime CreatedAt,
    DateTime? EditedAt = null);

/// <summary>
/// One conversation a person takes part in. <see cref="Comments"/> counts its public comments;
/// <see cref="Unread"/> the person's unread notifications in it; <see cref="LastActivity"/> is when a comment last became
/// public in it.
/// </summary>
public sealed record InboxConversation(InboxThread Thread, string Site, int Comments, DateTime LastActivity, int Unread, bool Following,
    ConversationLatest? Latest);

/// <summary>
/// A page of conversations, the liveliest first; <see cref="Next"/> is the cursor (before=) of the page after, null at the
/// end. <see cref="Unread"/> is the person's unread notifications in all (of the site, through a site's token), counted
/// as the inbox counts them (up to <see cref="Inbox.UnreadCountLimit"/>).
/// </summary>
public sealed record ConversationSlice(IReadOnlyList<InboxConversation> Items, long? Next, int Unread);

/// <summary>
/// Every conversation a person takes part in, across the sites of the instance (or one site, through a site's token):
/// those they follow, those they wrote in, and those where someone answered or named them, newest activity first, less
/// the ones they muted. A page starts after the conversation its cursor names, where that one is now in the order. Each part is read from its own index and only so far back, so an inbox costs the same bounded
/// reading however long the person has been around; what lies further back than that is reached through the
/// notifications' own list.
/// </summary>
public sealed class InboxConversations(HearthDb db)
{
    public const int MaxLimit = 50;

    /// <summary>How far back each source of conversations is read: the person's latest comments, notifications and follows.</summary>
    public const int LookBack = 1_000;

    public async Task<ConversationSlice> ReadAsync(long userId, long? siteId, long? before, bool unreadOnly, int limit, CancellationToken ct)
    {
        var take = Math.Clamp(limit, 1, MaxLimit);
        var follows = db.Follows.AsNoTracking().Where(f => f.UserId == userId && f.State == Follow.Following);
        var written = db.Comments.AsNoTracking().Where(c => c.Author.UserId == userId);
        var notified = db.Notifications.AsNoTracking().Where(n => n.UserId == userId);
        if (siteId is { } site)
        {
            follows = follows.Where(f => f.SiteId == site);
            written = written.Where(c => c.SiteId == site);
            notified = notified.Where(n => n.SiteId == site);
        }
        var followed = await follows.OrderByDescending(f => f.ThreadId).Take(LookBack).Select(f => f.ThreadId).ToListAsync(ct);
        var mine = await written.OrderByDescending(c => c.Id).Take(LookBack).Select(c => new { c.Id, c.ThreadId }).ToListAsync(ct);
        var following = followed.ToHashSet();
        // The person's latest notifications, small columns only: the conversations where someone answered or named them,
        // or wrote where they follow (however long ago they followed), and each one's unread count and newest comment.
        var news = await Inbox.Shown(notified.OrderByDescending(n => n.CommentId).Take(Inbox.UnreadLookBack), db)
            .Select(x => new { x.Notification.Id, x.Notification.ThreadId, x.Notification.CommentId, x.Notification.Kind, Unread = x.Notification.ReadAt == null })
            .ToListAsync(ct);
        var answered = news.Where(n => n.Kind is Notification.Reply or Notification.Mention or Notification.Followed).Select(n => n.ThreadId);
        var candidates = followed.Concat(mine.Select(m => m.ThreadId)).Concat(answered).Distinct().ToList();
        var unread = news.Where(n => n.Unread).GroupBy(n => n.ThreadId).ToDictionary(g => g.Key, g => g.Count());
        // The same rows the inbox's own count reads (Inbox.UnreadAsync), so the page needs no second read of them.
        var total = Math.Min(news.Count(n => n.Unread), Inbox.UnreadCountLimit);
        if (unreadOnly)
        {
            candidates = [.. candidates.Where(unread.ContainsKey)];
        }

        var threads = db.Threads.AsNoTracking().Where(t => candidates.Contains(t.Id)
            && !db.Follows.Any(f => f.UserId == userId && f.ThreadId == t.Id && f.State == Follow.Muted));
        if (before is { } cursor)
        {
            if (!candidates.Contains(cursor))
            {
                // Only one of the person's own conversations is a place in their list: another thread's time is not theirs to learn.
                return new ConversationSlice([], null, total);
            }
            // The cursor is the last thread of the page before: everything after it in the same order.
            var last = await db.Threads.AsNoTracking().Where(t => t.Id == cursor)
                .Select(t => new { t.Id, At = t.LastCommentAt ?? t.CreatedAt }).FirstOrDefaultAsync(ct);
            if (last is null)
            {
                return new ConversationSlice([], null, total);
            }
            threads = threads.Where(t => (t.LastCommentAt ?? t.CreatedAt) < last.At || ((t.LastCommentAt ?? t.CreatedAt) == last.At && t.Id < last.Id));
        }
        var page = await (
            from t in threads
            join s in db.Sites on t.SiteId equals s.Id
            orderby (t.LastCommentAt ?? t.CreatedAt) descending, t.Id descending
            select new { t.Id, t.Url, t.Title, t.Identifier, Site = s.Name, t.CommentCount, At = t.LastCommentAt ?? t.CreatedAt })
            .Take(take + 1).ToListAsync(ct);
        var shown = page.Take(take).ToList();

        // Per conversation, the comment to show: the newest news not yet read, which is what waits for an answer; with
        // nothing unread, the newest of their news or of their own comments.
        var newest = new Dictionary<long, (long CommentId, string Kind, long? NotificationId)>();
        void Consider(long threadId, long commentId, string kind, long? notificationId)
        {
            if (!newest.TryGetValue(threadId, out var seen) || seen.CommentId < commentId)
            {
                newest[threadId] = (commentId, kind, notificationId);
            }
        }
        var about = news.Where(n => Notification.AboutOthers.Contains(n.Kind)).ToList();
        foreach (var n in about.Where(n => n.Unread))
        {
            Consider(n.ThreadId, n.CommentId, n.Kind, n.Id);
        }
        var waiting = newest.Keys.ToHashSet();
        foreach (var n in about.Where(n => !n.Unread && !waiting.Contains(n.ThreadId)))
        {
            Consider(n.ThreadId, n.CommentId, n.Kind, n.Id);
        }
        foreach (var m in mine.Where(m => !waiting.Contains(m.ThreadId)))
        {
            Consider(m.ThreadId, m.Id, Yours, null);
        }
        var wanted = shown.Where(t => newest.ContainsKey(t.Id)).Select(t => newest[t.Id].CommentId).ToList();
        var comments = await db.Comments.AsNoTracking()
            .Where(c => wanted.Contains(c.Id) && c.Status == CommentStatus.Published)
            .Select(c => new { c.Id, AuthorName = c.Author.Name, c.Html, c.CreatedAt, c.EditedAt })
            .ToDictionaryAsync(c => c.Id, ct);

        var items = shown.Select(t =>
        {
            ConversationLatest? latest = null;
            if (newest.TryGetValue(t.Id, out var n) && comments.TryGetValue(n.CommentId, out var c))
            {
                latest = new ConversationLatest(c.Id, n.Kind, n.NotificationId, c.AuthorName, c.Html, c.CreatedAt, c.EditedAt);
            }
            return new InboxConversation(new InboxThread(t.Id, t.Url, t.Title, t.Identifier), t.Site, t.CommentCount, t.At,
                unread.GetValueOrDefault(t.Id), following.Contains(t.Id), latest);
        }).ToList();
        return new ConversationSlice(items, page.Count > take ? shown[^1].Id : null, total);
    }

    /// <summary>The kind of <see cref="ConversationLatest"/> when the newest comment that concerns the person is their own.</summary>
    public const string Yours = "yours";

    /// <summary>Marks the person's notifications in these conversations read; returns how many changed.</summary>
    public Task<int> MarkReadAsync(long userId, IReadOnlyCollection<long> threadIds, DateTime now, CancellationToken ct, long? siteId = null)
    {
        var query = db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null && threadIds.Contains(n.ThreadId));
        if (siteId is { } site)
        {
            query = query.Where(n => n.SiteId == site);
        }
        return query.ExecuteUpdateAsync(u => u.SetProperty(n => n.ReadAt, now), ct);
    }
}
