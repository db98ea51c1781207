using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Live;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Moderation;

/// <summary>What a moderator does to a thread or a comment beyond deciding on it: lock or unlock, delete.</summary>
public static class ThreadActions
{
    public static RouteGroupBuilder MapThreadActions(this RouteGroupBuilder site)
    {
        var moderation = site.MapGroup("/moderation").WithTags("Site administration");
        moderation.MapPost("/threads/{id:long}/{action}", LockOrUnlock).WithSummary("lock or unlock a thread: a locked one takes no new comments.");
        moderation.MapDelete("/comments/{id:long}", Delete).WithSummary("Delete a comment (a tombstone where others replied).");
        return site;
    }

    static async Task<Results<Ok<ThreadResponse>, ValidationProblem, ProblemHttpResult>> LockOrUnlock(HttpContext http, long id, string action,
        HearthDb db, WriteGate gate, InstanceKey keys, ThreadChanges changes, TimeProvider clock, CancellationToken ct)
    {
        var (member, refusal) = await SiteAccess.RequireAsync(http, SiteRole.Moderator, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        if (action is not ("lock" or "unlock"))
        {
            return Problems.Invalid("action", "action must be lock or unlock.");
        }
        var site = http.Site();
        CommentThread? thread;
        using (await gate.EnterAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await ThreadLocks.TakeAsync(db, await db.Threads.Where(t => t.Id == id && t.SiteId == site.Id).Select(t => t.Id).ToListAsync(ct), ct);
            thread = await db.Threads.FirstOrDefaultAsync(t => t.Id == id && t.SiteId == site.Id, ct);
            if (thread is null)
            {
                return Problems.Of(StatusCodes.Status404NotFound, "thread_not_found", "There is no such thread on this site.");
            }
            var before = thread.Locked;
            thread.Locked = action == "lock";
            if (before != thread.Locked)
            {
                var now = clock.GetUtcNow().UtcDateTime;
                db.AuditLog.Add(new AuditEntry
                {
                    SiteId = site.Id, ActorUserId = member!.UserId, ActorName = member.Name, Action = action, Target = $"thread {thread.Id}",
                    Before = before ? "locked" : "open", After = thread.Locked ? "locked" : "open", At = now,
                });
                // Its pages say whether it is locked: the log moves with it, so every node knows its pages are behind.
                await ThreadLog.AppendThreadAsync(db, thread, thread.Locked ? ThreadEvent.Locked : ThreadEvent.Unlocked,
                    ThreadLog.MemberActor(keys, member.UserId), now, ct);
                await db.SaveChangesAsync(ct);
            }
            await transaction.CommitAsync(ct);
        }
        await changes.PublishAsync();
        return TypedResults.Ok(thread.ToResponse());
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(HttpContext http, long id, HearthDb db, WriteGate gate,
        InstanceKey keys, ThreadChanges changes, TimeProvider clock, CancellationToken ct)
    {
        var (member, refusal) = await SiteAccess.RequireAsync(http, SiteRole.Moderator, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var site = http.Site();
        using (await gate.EnterAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // The thread first, as every writer locks it, then the comment as the last writer left it.
            await ThreadLocks.OfCommentsAsync(db, [id], ct, site.Id);
            var comment = await db.Comments.FirstOrDefaultAsync(c => c.Id == id && c.SiteId == site.Id && c.Status != CommentStatus.Deleted, ct);
            if (comment is null)
            {
                return Problems.CommentNotFound();
            }
            var thread = await db.Threads.FirstAsync(t => t.Id == comment.ThreadId, ct);
            var now = clock.GetUtcNow().UtcDateTime;
            if (comment.Status == CommentStatus.Published)
            {
                await db.Threads.Where(t => t.Id == thread.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.CommentCount, t => t.CommentCount + -1), ct);
            }
            db.AuditLog.Add(new AuditEntry
            {
                SiteId = site.Id, ActorUserId = member!.UserId, ActorName = member.Name, Action = "delete", Target = $"comment {comment.Id}",
                Before = comment.Status.ToWire(), After = "deleted", At = now,
            });
            await CommentRemoval.RemoveAsync(db, comment, ThreadLog.MemberActor(keys, member.UserId), now, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        await changes.PublishAsync();
        return TypedResults.NoContent();
    }
}
