using Hearth.Live;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Conversations;

/// <summary>
/// An author rewrites their comment within the edit window. The new words pass the checks about words again: what
/// would have been held when posted is held now (readers see it go), and the thread's readers get comment.updated.
/// </summary>
public sealed class EditComment(HearthDb db, WriteGate gate, MarkdownRenderer markdown, GuestOwnership ownership,
    Moderation.EditChecks checks, ThreadChanges changes, TimeProvider clock)
{
    public async Task<Results<Ok<CommentResponse>, ValidationProblem, ProblemHttpResult>> RunAsync(
        Site site, long id, EditCommentRequest request, string? editToken, string ipHash, CancellationToken ct)
    {
        var bodyError = CommentInput.CheckBody(request.Body);
        if (bodyError is not null)
        {
            return Problems.Invalid("body", bodyError);
        }
        var body = markdown.Render(request.Body!);
        if (body.Problem is { } unfit)
        {
            return Problems.Invalid("body", unfit);
        }

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
        if (comment.EditedByModerator)
        {
            // Otherwise the author could put back what a moderator took out, and the mark saying so would go.
            return Problems.Of(StatusCodes.Status409Conflict, "moderator_edited", "A moderator has edited this comment; it can no longer be changed.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var thread = await db.Threads.FirstAsync(t => t.Id == comment.ThreadId, ct);
        var verdict = await checks.RunAsync(new Moderation.CommentDraft(site, thread, thread.Key, comment.Author, null, body, ipHash, now), ct);
        if (verdict is Moderation.Refuse refused)
        {
            return Problems.Of(refused.Status, refused.Code, refused.Detail);
        }
        var before = comment.Status;
        var wasPublished = before == CommentStatus.Published;
        comment.Edit(body, now);
        if (verdict is Moderation.Hold hold)
        {
            // An increment in the database, not a write of what was read: another node may have counted since.
            var held = comment.HoldFor(hold.Reason, hold.Detail, hold.Status);
            await People.PersonLedger.StatusChangedAsync(db, comment.SiteId, comment.Author.Key, before, comment.Status, ct);
            await db.Threads.Where(t => t.Id == thread.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.CommentCount, t => t.CommentCount + held), ct);
        }
        // The fingerprint follows the words, so an edited copy is compared as what it now says.
        await Moderation.SimilarityBand.RemoveAsync(db, comment.Id, ct);
        await ThreadLog.AppendAsync(db, comment, wasPublished && comment.Status != CommentStatus.Published ? ThreadEvent.Deleted : ThreadEvent.Updated,
            before, comment.Author.Key, now, ct);
        await db.SaveChangesAsync(ct);
        var bands = new StatementList();
        Moderation.SimilarityBand.AddTo(bands, comment, body, db.Database.IsNpgsql());
        // Whom its mentions link to follows the words too (see MentionLinks).
        Notifications.Mentions.Rematch(bands, comment);
        await bands.RunAsync(db, ct);
        await transaction.CommitAsync(ct);

        await changes.PublishAsync();
        // As when posting, the author sees a neutral "awaiting moderation" whatever held it.
        return TypedResults.Ok(comment.ToResponse() with
        {
            Status = comment.Status is CommentStatus.Published ? CommentStatus.Published.ToWire() : CommentStatus.Pending.ToWire(),
        });
    }
}
