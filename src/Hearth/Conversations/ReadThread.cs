using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Conversations;

/// <summary>
/// One page of a thread: up to a page size of top-level comments in the chosen order, each with its first
/// <see cref="RepliesPerRoot"/> replies in the order they were written (the rest come a share at a time, through
/// <see cref="RepliesAsync"/>). Pending and spam comments are not shown; tombstones are, so trees stay whole.
/// Every query walks an index in the page's own order and stops at the page's end, so a page of a thread of twenty
/// thousand comments reads what a page of a thread of twenty reads, however they are spread under its comments.
/// </summary>
public sealed class ReadThread(HearthDb db, InstanceKey keys, MentionLinks mentions, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<HearthOptions> options)
{
    /// <summary>
    /// Replies a page carries under one top-level comment. All of them once made a page of one comment with tens of
    /// thousands of replies (guests can write that many in a day) cost its whole size at every read: too large for the
    /// page cache, it was built again each time. The earliest replies come first, and a reply is never earlier than what
    /// it answers, so the share a page carries is a whole tree.
    /// </summary>
    public const int RepliesPerRoot = 100;

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

        var replies = (await FirstRepliesAsync(thread.Id, [.. page.Select(c => c.Id)], ct)).ToLookup(r => r.RootId!.Value);
        var inOrder = new List<Comment>();
        var more = new HashSet<long>();
        foreach (var root in page)
        {
            var own = replies[root.Id];
            inOrder.Add(root);
            inOrder.AddRange(own.Take(RepliesPerRoot));
            if (own.Count() > RepliesPerRoot)
            {
                more.Add(root.Id);
            }
        }
        var comments = await ShownAsync(siteId, inOrder, more, pageAuthorKey, ct);

        var last = ordered.LastOrDefault();
        var next = hasMore && last is not null
            ? new ThreadCursor(sort, last.Rank, last.CreatedAt, last.Id).Encode(keys, ThreadPageCache.ThreadKey(siteId, key), pageSize)
            : null;
        return new ThreadPageResponse(thread.ToResponse(), comments, next) { LastEventId = lastEventId };
    }

    /// <summary>
    /// The first replies (one more than a page carries, to tell whether there are more) under each of these top-level
    /// comments, oldest first, in one statement: each root's part walks the (thread, root, time) index and stops at its
    /// share, where one reading of all their replies would read every reply of a comment with a hundred thousand.
    /// </summary>
    async Task<List<Comment>> FirstRepliesAsync(long threadId, List<long> rootIds, CancellationToken ct)
    {
        if (rootIds.Count == 0)
        {
            return [];
        }
        var values = new object[rootIds.Count + 1];
        values[0] = threadId;
        var parts = new List<string>(rootIds.Count);
        for (var i = 0; i < rootIds.Count; i++)
        {
            values[i + 1] = rootIds[i];
            parts.Add(FormattableString.Invariant($$"""
                SELECT * FROM (SELECT * FROM "Comments" WHERE "ThreadId" = {0} AND "RootId" = {{{i + 1}}}
                    AND "Status" IN ('Published', 'Deleted') ORDER BY "CreatedAt", "Id" LIMIT {{RepliesPerRoot + 1}}) AS "r{{i}}"
                """));
        }
        var replies = await db.Comments.FromSqlRaw(string.Join("\nUNION ALL\n", parts), values).AsNoTracking().ToListAsync(ct);
        return [.. replies.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)];
    }

    /// <summary>
    /// The replies under a top-level comment after a place among them, a page's share at a time, for a comment whose page
    /// said it has more. The place is a reply's time and id: given the time, the reply need not be there any more (its
    /// author deleted it meanwhile); given only the id, it is looked up among the comment's replies whatever became of it.
    /// Null when the comment is not a visible top-level comment of the thread, or the id not one of its replies.
    /// </summary>
    public async Task<ThreadPageResponse?> RepliesAsync(long siteId, ThreadAddress address, long rootId, long afterId, DateTime? afterAt,
        CancellationToken ct, string? pageAuthorKey = null)
    {
        var key = address.Key;
        var thread = await db.Threads.AsNoTracking().FirstOrDefaultAsync(t => t.SiteId == siteId && t.Key == key, ct);
        if (thread is null)
        {
            return null;
        }
        var visible = db.Comments.AsNoTracking().Where(c =>
            c.ThreadId == thread.Id && (c.Status == CommentStatus.Published || c.Status == CommentStatus.Deleted));
        var after = afterAt is { } at ? new { CreatedAt = at, Id = afterId }
            : await db.Comments.AsNoTracking().Where(c => c.Id == afterId && c.ThreadId == thread.Id && c.RootId == rootId)
                .Select(c => new { c.CreatedAt, c.Id }).FirstOrDefaultAsync(ct);
        if (after is null || !await visible.AnyAsync(c => c.Id == rootId && c.RootId == null, ct))
        {
            return null;
        }
        var replies = await visible
            .Where(c => c.RootId == rootId && (c.CreatedAt > after.CreatedAt || (c.CreatedAt == after.CreatedAt && c.Id > after.Id)))
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).Take(RepliesPerRoot + 1).ToListAsync(ct);
        var more = replies.Count > RepliesPerRoot;
        if (more)
        {
            replies.RemoveAt(replies.Count - 1);
        }
        var comments = await ShownAsync(siteId, replies, [], pageAuthorKey, ct);
        return new ThreadPageResponse(thread.ToResponse(), comments, null) { LastEventId = thread.EventSeq, MoreReplies = more };
    }

    /// <summary>
    /// Comments in a page's order as readers get them: mentions linked, whom each reply answers named, earned badges and
    /// the page's author marked, and <c>moreReplies</c> on the top-level comments that have more than the page carries.
    /// </summary>
    async Task<List<CommentResponse>> ShownAsync(long siteId, List<Comment> inOrder, HashSet<long> withMore, string? pageAuthorKey,
        CancellationToken ct)
    {
        var linked = await mentions.ForAsync(inOrder, ct);
        var comments = new List<CommentResponse>(inOrder.Count);
        var authorKeys = new List<string?>(inOrder.Count);
        foreach (var c in inOrder)
        {
            var shown = linked.TryGetValue(c.Id, out var html) ? c.ToResponse() with { Html = html } : c.ToResponse();
            comments.Add(withMore.Contains(c.Id) ? shown with { MoreReplies = true } : shown);
            authorKeys.Add(c.Status == CommentStatus.Deleted ? null : c.Author.Key);
        }
        CommentMapping.NameReplyTargets(comments);
        await People.EarnedBadges.AddToAsync(db, siteId, comments, authorKeys, options.Value.Trust, clock.GetUtcNow().UtcDateTime, ct);
        if (pageAuthorKey is not null)
        {
            People.PageAuthor.Mark(comments, authorKeys, pageAuthorKey);
        }
        return comments;
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
