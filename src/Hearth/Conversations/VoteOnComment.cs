using Hearth.Live;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Conversations;

/// <summary>One vote per voter per comment, changeable and retractable; the comment keeps running totals and its rank.</summary>
public sealed class VoteOnComment(HearthDb db, WriteGate gate, ThreadChanges changes, TimeProvider clock)
{
    public async Task<Results<Ok<VoteResponse>, ValidationProblem, ProblemHttpResult>> RunAsync(
        Site site, long id, VoteRequest request, string voterKey, CancellationToken ct)
    {
        if (request.Value is < -1 or > 1)
        {
            return Problems.Invalid("value", "value must be 1 (up), -1 (down) or 0 (take the vote back).");
        }

        using var turn = await gate.EnterAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The thread before the vote row, as every writer does (one deleting the comment takes its votes after its thread),
        // and before reading the counts, so two votes at once on another node both count.
        await ThreadLocks.OfCommentsAsync(db, [id], ct, site.Id);
        var comment = await db.Comments.FirstOrDefaultAsync(c => c.Id == id && c.SiteId == site.Id, ct);
        if (comment is null || !comment.IsVisible)
        {
            return Problems.CommentNotFound();
        }
        if (comment.Status != CommentStatus.Published)
        {
            return Problems.Of(StatusCodes.Status409Conflict, "comment_deleted", "This comment has been deleted.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var vote = await db.Votes.FirstOrDefaultAsync(v => v.CommentId == id && v.VoterKey == voterKey, ct);
        var previous = vote?.Value ?? 0;
        if (previous != request.Value)
        {
            if (vote is null)
            {
                db.Votes.Add(new Vote { CommentId = id, VoterKey = voterKey, Value = request.Value, CastAt = now });
            }
            else if (request.Value == 0)
            {
                db.Votes.Remove(vote);
            }
            else
            {
                vote.Value = request.Value;
                vote.CastAt = now;
            }
            var up = comment.Upvotes + (request.Value == 1 ? 1 : 0) - (previous == 1 ? 1 : 0);
            var down = comment.Downvotes + (request.Value == -1 ? 1 : 0) - (previous == -1 ? 1 : 0);
            comment.ApplyVotes(up, down);
            // Voters are anonymous: the event names no actor.
            await ThreadLog.AppendAsync(db, comment, ThreadEvent.Voted, comment.Status, actorKey: null, now, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            await changes.PublishAsync();
        }
        return TypedResults.Ok(new VoteResponse(comment.Id, comment.Score, comment.Upvotes, comment.Downvotes, request.Value));
    }
}
