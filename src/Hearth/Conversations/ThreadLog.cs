using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Conversations;

/// <summary>A thread's log moved: its last entry is now <see cref="Seq"/>. Said on the change bus after the commit.</summary>
public sealed record ThreadMove(long SiteId, string Key, long ThreadId, long Seq)
{
    public string ThreadKey => ThreadPageCache.ThreadKey(SiteId, Key);
}

/// <summary>
/// The one way into a thread's log. Every writer calls <see cref="AppendAsync"/> inside its transaction, and after the
/// commit hands the moves it made to the change bus (<see cref="Live.ThreadChanges.Publish"/>).
/// </summary>
public static class ThreadLog
{
    /// <summary>
    /// Adds the event of a change to a comment, numbered next in its thread's log. The number comes from one atomic
    /// increment of the thread row, which on PostgreSQL also locks that row until the transaction ends: a second writer to
    /// the thread waits there, so numbers become visible in their order and a reader resuming after one misses nothing.
    /// A writer that changes several threads locks them all first (<see cref="ThreadLocks"/>), so these never cross.
    /// Call it after the comment is changed (its status now is the event's "after"); a comment removed from the database
    /// is recorded as gone.
    /// </summary>
    public static async Task<ThreadEvent> AppendAsync(HearthDb db, Comment comment, string type, CommentStatus? before,
        string? actorKey, DateTime now, CancellationToken ct)
    {
        var gone = db.Entry(comment).State is EntityState.Deleted or EntityState.Detached;
        var e = new ThreadEvent
        {
            SiteId = comment.SiteId,
            ThreadId = comment.ThreadId,
            CommentId = comment.Id,
            Type = type,
            ActorKey = actorKey,
            AuthorKey = NullIfEmpty(comment.Author.Key),
            ParentAuthorKey = await AnsweredAuthorAsync(db, comment, ct),
            StatusBefore = before,
            StatusAfter = gone ? null : comment.Status,
            At = now,
        };
        e.Seq = await NextAsync(db, comment.ThreadId, ct);
        db.ThreadEvents.Add(e);
        return e;
    }

    /// <summary>
    /// Adds the event of a change to the thread itself (locked or unlocked): no comment changed, but its pages did, and
    /// the log moving is what tells every node so, even one that missed the change bus's message.
    /// </summary>
    public static async Task<ThreadEvent> AppendThreadAsync(HearthDb db, CommentThread thread, string type, string? actorKey, DateTime now,
        CancellationToken ct)
    {
        var e = new ThreadEvent
        {
            SiteId = thread.SiteId,
            ThreadId = thread.Id,
            CommentId = ThreadEvent.NoComment,
            Type = type,
            ActorKey = actorKey,
            At = now,
        };
        e.Seq = await NextAsync(db, thread.Id, ct);
        db.ThreadEvents.Add(e);
        return e;
    }

    /// <summary>The actor key of a signed-in member: the key their own comments carry, so "who did it" and "whose" compare.</summary>
    public static string MemberActor(InstanceKey keys, long userId) => keys.Hash("author", "member\n" + userId);

    static async Task<long> NextAsync(HearthDb db, long threadId, CancellationToken ct)
    {
        // UPDATE ... RETURNING is the same statement on SQLite (3.35 and later) and PostgreSQL.
        var moved = await db.Database.SqlQuery<ThreadMove>($"""
            UPDATE "Threads" SET "EventSeq" = "EventSeq" + 1 WHERE "Id" = {threadId}
            RETURNING "SiteId", "Key", "Id" AS "ThreadId", "EventSeq" AS "Seq"
            """).ToListAsync(ct);
        if (moved.Count != 1)
        {
            throw new InvalidOperationException($"Thread {threadId} is not in the database: its log cannot move.");
        }
        db.LogMoves[threadId] = moved[0];
        return moved[0].Seq;
    }

    static async Task<string?> AnsweredAuthorAsync(HearthDb db, Comment comment, CancellationToken ct)
    {
        if ((comment.ReplyToId ?? comment.ParentId) is not { } answered)
        {
            return null;
        }
        var key = await db.Comments.Where(c => c.Id == answered).Select(c => c.Author.Key).FirstOrDefaultAsync(ct);
        return NullIfEmpty(key);
    }

    static string? NullIfEmpty(string? key) => string.IsNullOrEmpty(key) ? null : key;
}
