using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Conversations;

/// <summary>
/// Taking a comment away. While anything answers it (a reply under it, or one beside it at the deepest level) it stays
/// as a tombstone so the conversation still makes sense; otherwise it goes, and so do tombstones it leaves with
/// nothing answering them. The caller counts and saves (before removing another comment of the same thread, so this
/// one's queries see the last removal).
/// </summary>
public static class CommentRemoval
{
    public static async Task RemoveAsync(HearthDb db, Comment comment, string? actorKey, DateTime now, CancellationToken ct)
    {
        if (await db.Comments.AnyAsync(c => c.ParentId == comment.Id || c.ReplyToId == comment.Id, ct))
        {
            var before = comment.Status;
            await People.PersonLedger.StatusChangedAsync(db, comment.SiteId, comment.Author.Key, before, CommentStatus.Deleted, ct);
            comment.MarkDeleted(now);
            await UnlearnAsync(db, comment.Id, ct);
            await ThreadLog.AppendAsync(db, comment, ThreadEvent.Deleted, before, actorKey, now, ct);
            return;
        }
        // A worklist rather than recursion; each removal can free at most the two comments it answered. At most
        // MaxFreed of them go with one removal: a longer chain of emptied tombstones keeps the rest, shown as deleted,
        // rather than have one request walk it to the end under the write gate.
        var removed = new HashSet<long>();
        var next = new Stack<Comment>();
        next.Push(comment);
        while (removed.Count <= MaxFreed && next.TryPop(out var current))
        {
            if (!removed.Add(current.Id))
            {
                continue;
            }
            await People.PersonLedger.StatusChangedAsync(db, current.SiteId, current.Author.Key, current.Status, after: null, ct);
            await UnlearnAsync(db, current.Id, ct);
            db.Comments.Remove(current);
            await ThreadLog.AppendAsync(db, current, ThreadEvent.Deleted, current.Status, actorKey, now, ct);
            foreach (var answeredId in new[] { current.ParentId, current.ReplyToId })
            {
                if (answeredId is not { } id || removed.Contains(id))
                {
                    continue;
                }
                var answered = await db.Comments.FirstOrDefaultAsync(c => c.Id == id, ct);
                if (answered is not { Status: CommentStatus.Deleted } || await AnsweredByOthersAsync(db, id, removed, ct))
                {
                    continue;
                }
                next.Push(answered);
            }
        }
    }

    /// <summary>Freed tombstones one removal takes with it, beyond the comment removed.</summary>
    internal const int MaxFreed = 100;

    /// <summary>
    /// Whether anything but <paramref name="removed"/> (not yet saved) answers the comment. The answers are read, not
    /// filtered by the list in SQL: a list that grows with each step made a long walk cost its square.
    /// </summary>
    static async Task<bool> AnsweredByOthersAsync(HearthDb db, long id, HashSet<long> removed, CancellationToken ct)
    {
        // More answers than comments removed means one of them at least was not removed.
        var answers = await db.Comments.Where(c => c.ParentId == id || c.ReplyToId == id).Select(c => c.Id)
            .Take(removed.Count + 1).ToListAsync(ct);
        return answers.Any(a => !removed.Contains(a));
    }

    /// <summary>
    /// What the spam filter learned from the comment as not spam (a moderator approving it) is taken back, and the words it
    /// kept to do so go: a comment's words leave the filter's counts with the comment, as they would with its author's
    /// account. A lesson that it is spam stays learned (only its copy of the words goes): otherwise whoever wrote it could
    /// delete it and post the same words again past a filter that had forgotten them.
    /// </summary>
    static async Task UnlearnAsync(HearthDb db, long commentId, CancellationToken ct)
    {
        var labels = await db.Set<Moderation.SpamFilter.SpamLabel>().AsNoTracking().Where(l => l.CommentId == commentId).ToListAsync(ct);
        foreach (var label in labels.Where(l => !l.Spam))
        {
            await new Moderation.SpamFilter.SpamModels(db).LearnAsync(label.SiteId, [new(label.TokenList, label.Spam, -1)], ct);
        }
        if (labels.Count > 0)
        {
            await db.Set<Moderation.SpamFilter.SpamLabel>().Where(l => l.CommentId == commentId).ExecuteDeleteAsync(ct);
        }
    }
}
