using Hearth.Live;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Conversations;

/// <summary>
/// A guest takes back their comment within the edit window. With replies it stays as a tombstone so the
/// conversation under it still makes sense; without, it goes, and so do tombstones it leaves without replies.
/// </summary>
public sealed class DeleteComment(HearthDb db, WriteGate gate, GuestOwnership ownership, ThreadChanges changes, TimeProvider clock)
{
    public async Task<Results<NoContent, ProblemHttpResult>> RunAsync(Site site, long id, string? editToken, CancellationToken ct)
    {
        using var turn = await gate.EnterAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var comment = await db.Comments.FirstOrDefaultAsync(c => c.Id == id && c.SiteId == site.Id, ct);
        if (comment is null)
        {
            return Problems.CommentNotFound();
        }
        if (ownership.Check(comment, editToken) is { } refusal)
        {
            return refusal;
        }
        var thread = await db.Threads.FirstAsync(t => t.Id == comment.ThreadId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (comment.Status == CommentStatus.Published)
        {
            thread.CommentCount--;
        }

        if (await db.Comments.AnyAsync(c => c.ParentId == comment.Id, ct))
        {
            comment.MarkDeleted(now);
            db.ThreadEvents.Add(ThreadEvents.For(comment, ThreadEvent.Deleted, now));
        }
        else
        {
            await RemoveWithEmptyAncestorsAsync(comment, now, ct);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        changes.Changed(ThreadPageCache.ThreadKey(site.Id, thread.Key));
        return TypedResults.NoContent();
    }

    async Task RemoveWithEmptyAncestorsAsync(Comment comment, DateTime now, CancellationToken ct)
    {
        var current = comment;
        while (true)
        {
            db.Comments.Remove(current);
            db.ThreadEvents.Add(new ThreadEvent
            {
                SiteId = current.SiteId,
                ThreadId = current.ThreadId,
                CommentId = current.Id,
                Type = ThreadEvent.Deleted,
                Data = $$"""{"id":{{current.Id}},"removed":true}""",
                At = now,
            });
            if (current.ParentId is not { } parentId)
            {
                return;
            }
            var removedId = current.Id;
            var parent = await db.Comments.FirstAsync(c => c.Id == parentId, ct);
            var otherChildren = await db.Comments.AnyAsync(c => c.ParentId == parentId && c.Id != removedId, ct);
            if (parent.Status != CommentStatus.Deleted || otherChildren)
            {
                return;
            }
            current = parent;
        }
    }
}
