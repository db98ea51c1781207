using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Conversations;

/// <summary>
/// One page of a thread: up to a page size of top-level comments in the chosen order, each with all its
/// replies in the order they were written. Pending and spam comments are not shown; tombstones are, so trees stay whole.
/// Every query walks an index in the page's own order and stops at the page's end, so a page of a thread of twenty
/// thousand comments reads what a page of a thread of twenty reads.
/// </summary>
public sealed class ReadThread(HearthDb db, InstanceKey keys, MentionLinks mentions, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<HearthOptions> options)
{
    /// <param name="pageAuthorKey">The person key of the page's author, as its snippet names them (<see cref="People.PageAuthor"/>).</param>
    public async Task<ThreadPageResponse> RunAsync(long siteId, ThreadAddress address, ThreadSort sort, ThreadCursor? cursor,
        int pageSize, CancellationToken ct, string? pageAuthorKey = null)
    {
        var key = address.Key;
        var thread = await db.Threads.AsNoTracking().FirstOrDefaultAsync(t => t.SiteId == siteId && t.Key == key, ct);
        if (thread is null)
        {
            return new ThreadPageResponse(new ThreadResponse(null, address.Url, address.Identifier, null, 0, false), [], null);
        }

        // The log's place is read with the thread, before its comments: an event that lands while the page is read is
        // sent again by the live stream, and the widget recognises comments it already has, so nothing falls between.
        var lastEventId = thread.EventSeq;
        var visible = db.Comments.AsNoTracking().Where(c =>
            c.ThreadId == thread.Id && (c.Status == CommentStatus.Published || c.Status == CommentStatus.Deleted));
        // Pinned comments open the first page whatever the order, and are left out of the ordered pages, so
        // cursors never meet them. Only top-level comments are pinned; the condition is the pinned index's alone, so
        // it is found there and not by walking every top-level comment.
        var pinned = cursor is null
            ? await visible.Where(c => c.Pinned).OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).ToListAsync(ct)
            : [];
        var ordered = await RootsAsync(visible.Where(c => c.RootId == null && !c.Pinned), sort, cursor, pageSize + 1, ct);
        var hasMore = ordered.Count > pageSize;
        if (hasMore)
        {
            ordered.RemoveAt(ordered.Count - 1);
        }
        var page = pinned.Concat(ordered).ToList();

        var rootIds = page.Select(c => c.Id).ToList();
        var replies = rootIds.Count == 0
            ? []
            : await visible.Where(c => c.RootId != null && rootIds.Contains(c.RootId.Value))
                .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).ToListAsync(ct);

        var linked = await mentions.ForAsync(page.Concat(replies), ct);
        CommentResponse Shown(Comment c) => linked.TryGetValue(c.Id, out var html) ? c.ToResponse() with { Html = html } : c.ToResponse();
        var comments = new List<CommentResponse>(page.Count + replies.Count);
        var authorKeys = new List<string?>(page.Count + replies.Count);
        var repliesByRoot = replies.ToLookup(r => r.RootId!.Value);
        foreach (var root in page)
        {
            comments.Add(Shown(root));
            authorKeys.Add(root.Status == CommentStatus.Deleted ? null : root.Author.Key);
            foreach (var reply in repliesByRoot[root.Id])
            {
                comments.Add(Shown(reply));
                authorKeys.Add(reply.Status == CommentStatus.Deleted ? null : reply.Author.Key);
            }
        }

        CommentMapping.NameReplyTargets(comments);
        await People.EarnedBadges.AddToAsync(db, siteId, comments, authorKeys, options.Value.Trust, clock.GetUtcNow().UtcDateTime, ct);
        if (pageAuthorKey is not null)
        {
            People.PageAuthor.Mark(comments, authorKeys, pageAuthorKey);
        }

        var last = ordered.LastOrDefault();
        var next = hasMore && last is not null
            ? new ThreadCursor(sort, last.Rank, last.CreatedAt, last.Id).Encode(keys, ThreadPageCache.ThreadKey(siteId, key), pageSize)
            : null;
        return new ThreadPageResponse(thread.ToResponse(), comments, next) { LastEventId = lastEventId };
    }

    /// <summary>
    /// The top-level comments after the cursor, in order. "Best" orders by rank down, then time up: no single range
    /// says "after" in that order, so the rest of the cursor's rank and the lower ranks are read as two ranges.
    /// </summary>
    static async Task<List<Comment>> RootsAsync(IQueryable<Comment> roots, ThreadSort sort, ThreadCursor? cursor, int count,
        CancellationToken ct)
    {
        if (cursor is not { } c)
        {
            return await Order(roots, sort).Take(count).ToListAsync(ct);
        }
        switch (sort)
        {
            case ThreadSort.Oldest:
                return await Order(roots.Where(x => x.CreatedAt > c.CreatedAt || (x.CreatedAt == c.CreatedAt && x.Id > c.Id)), sort)
                    .Take(count).ToListAsync(ct);
            case ThreadSort.Newest:
                return await Order(roots.Where(x => x.CreatedAt < c.CreatedAt || (x.CreatedAt == c.CreatedAt && x.Id < c.Id)), sort)
                    .Take(count).ToListAsync(ct);
            default:
                var sameRank = await roots.Where(x => x.Rank == c.Rank && (x.CreatedAt > c.CreatedAt || (x.CreatedAt == c.CreatedAt && x.Id > c.Id)))
                    .OrderBy(x => x.CreatedAt).ThenBy(x => x.Id).Take(count).ToListAsync(ct);
                if (sameRank.Count < count)
                {
                    sameRank.AddRange(await Order(roots.Where(x => x.Rank < c.Rank), sort).Take(count - sameRank.Count).ToListAsync(ct));
                }
                return sameRank;
        }
    }

    static IQueryable<Comment> Order(IQueryable<Comment> query, ThreadSort sort) => sort switch
    {
        ThreadSort.Oldest => query.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id),
        ThreadSort.Newest => query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id),
        _ => query.OrderByDescending(c => c.Rank).ThenBy(c => c.CreatedAt).ThenBy(c => c.Id),
    };
}
