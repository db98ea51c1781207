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
        // The thread first, as every writer locks it, then the comment as the last writer left it.
        await ThreadLocks.OfCommentsAsync(db, [id], ct, site.Id);
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
            await db.Threads.Where(t => t.Id == thread.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.CommentCount, t => t.CommentCount - 1), ct);
        }

        await CommentRemoval.RemoveAsync(db, comment, comment.Author.Key, now, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        await changes.PublishAsync();
        return TypedResults.NoContent();
    }
}
