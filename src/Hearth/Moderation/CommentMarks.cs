using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Live;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Moderation;

/// <summary>
/// What a moderator does to a published comment's place and words: pin it to the top of its thread, feature it,
/// or edit it (readers then see "edited by moderator"). Each is audited and reaches open pages live.
/// </summary>
public sealed class CommentMarks(HearthDb db, WriteGate gate, MarkdownRenderer markdown, InstanceKey keys, ThreadChanges changes, TimeProvider clock)
{
    public const int MaxPinned = 3;

    public static bool IsMark(string action) => action is "pin" or "unpin" or "feature" or "unfeature";

    public async Task<Results<Ok<CommentResponse>, ValidationProblem, ProblemHttpResult>> MarkAsync(Site site, Member actor, long id,
        string action, CancellationToken ct)
    {
        return await ChangeAsync(site, actor, id, action, async comment =>
        {
            if (action is "pin" or "feature" && comment.Status != CommentStatus.Published)
            {
                return Problems.Invalid("action", "Only a published comment can be pinned or featured.");
            }
            if (action is "pin" && comment.ParentId is not null)
            {
                return Problems.Invalid("action", "Only a top-level comment can be pinned.");
            }
            // Counted with the thread locked, in the transaction that pins: two pins at once on two nodes take turns,
            // and the second counts the first.
            if (action is "pin" && !comment.Pinned
                && await db.Comments.CountAsync(c => c.ThreadId == comment.ThreadId && c.Pinned && c.Id != comment.Id, ct) >= MaxPinned)
            {
                return Problems.Invalid("action", $"A thread has at most {MaxPinned} pinned comments; unpin one first.");
            }
            var before = Marks(comment);
            switch (action)
            {
                case "pin": comment.Pinned = true; break;
                case "unpin": comment.Pinned = false; break;
                case "feature": comment.Featured = true; break;
                default: comment.Featured = false; break;
            }
            return (before, Marks(comment));
        }, ct);
    }

    public async Task<Results<Ok<CommentResponse>, ValidationProblem, ProblemHttpResult>> EditAsync(Site site, Member actor, long id,
        string? source, CancellationToken ct)
    {
        if (CommentInput.CheckBody(source) is { } error)
        {
            return Problems.Invalid("body", error);
        }
        var body = markdown.Render(source!);
        if (body.Problem is { } unfit)
        {
            return Problems.Invalid("body", unfit);
        }
        return await ChangeAsync(site, actor, id, "edit", async comment =>
        {
            var before = comment.Source;
            comment.Edit(body, clock.GetUtcNow().UtcDateTime, byModerator: true);
            // Whom its mentions link to follows the words (see MentionLinks).
            var mentions = new StatementList();
            Notifications.Mentions.Rematch(mentions, comment);
            await mentions.RunAsync(db, ct);
            return (before, comment.Source);
        }, ct);
    }

    static string Marks(Comment c) => (c.Pinned, c.Featured) switch
    {
        (true, true) => "pinned featured",
        (true, false) => "pinned",
        (false, true) => "featured",
        _ => "plain",
    };

    /// <summary>
    /// Loads the comment of this site with its thread locked, applies the change (or its refusal, which may read the
    /// thread: it is read as the last writer left it), audits it and tells the thread.
    /// </summary>
    async Task<Results<Ok<CommentResponse>, ValidationProblem, ProblemHttpResult>> ChangeAsync(Site site, Member actor, long id, string action,
        Func<Comment, Task<OneOf>> change, CancellationToken ct)
    {
        Comment comment;
        using (await gate.EnterAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // The thread first, as every writer locks it, then the comment as the last writer left it.
            await ThreadLocks.OfCommentsAsync(db, [id], ct, site.Id);
            var found = await db.Comments.FirstOrDefaultAsync(c => c.Id == id && c.SiteId == site.Id && c.Status != CommentStatus.Deleted, ct);
            if (found is null)
            {
                return Problems.CommentNotFound();
            }
            comment = found;
            var outcome = await change(comment);
            if (outcome.Refusal is { } refusal)
            {
                return refusal;
            }
            var now = clock.GetUtcNow().UtcDateTime;
            db.AuditLog.Add(new AuditEntry
            {
                SiteId = site.Id, ActorUserId = actor.UserId, ActorName = actor.Name, Action = action, Target = $"comment {comment.Id}",
                Before = Clip(outcome.Before), After = Clip(outcome.After), At = now,
            });
            await ThreadLog.AppendAsync(db, comment, ThreadEvent.Updated, comment.Status, ThreadLog.MemberActor(keys, actor.UserId), now, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        await changes.PublishAsync();
        return TypedResults.Ok(comment.ToResponse());
    }

    static string? Clip(string? text) => text is { Length: > 4000 } ? text[..3999] + "…" : text;

    /// <summary>A change's before and after, or why it was refused.</summary>
    public readonly record struct OneOf(string? Before, string? After, ValidationProblem? Refusal)
    {
        public static implicit operator OneOf((string Before, string After) change) => new(change.Before, change.After, null);
        public static implicit operator OneOf(ValidationProblem refusal) => new(null, null, refusal);
    }
}
