using Hearth.Live;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Conversations;

/// <summary>A guest rewrites their comment within the edit window; the thread's readers get comment.updated.</summary>
public sealed class EditComment(HearthDb db, WriteGate gate, MarkdownRenderer markdown, GuestOwnership ownership,
    ThreadChanges changes, TimeProvider clock)
{
    public async Task<Results<Ok<CommentResponse>, ValidationProblem, ProblemHttpResult>> RunAsync(
        Site site, long id, EditCommentRequest request, string? editToken, CancellationToken ct)
    {
        var bodyError = CommentInput.CheckBody(request.Body);
        if (bodyError is not null)
        {
            return Problems.Invalid("body", bodyError);
        }
        var body = markdown.Render(request.Body!);
        if (body.IsBlank)
        {
            return Problems.Invalid("body", "The comment has no visible text.");
        }

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
        if (comment.EditedByModerator)
        {
            // Otherwise the author could put back what a moderator took out, and the mark saying so would go.
            return Problems.Of(StatusCodes.Status409Conflict, "moderator_edited", "A moderator has edited this comment; it can no longer be changed.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        comment.Edit(body, now);
        db.ThreadEvents.Add(ThreadEvents.For(comment, ThreadEvent.Updated, now));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        var threadKey = await db.Threads.Where(t => t.Id == comment.ThreadId).Select(t => t.Key).FirstAsync(ct);
        changes.Changed(ThreadPageCache.ThreadKey(site.Id, threadKey));
        return TypedResults.Ok(comment.ToResponse());
    }
}
