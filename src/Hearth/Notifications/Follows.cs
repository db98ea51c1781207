using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Notifications;

/// <summary>Following and muting conversations, always as one atomic statement per change (two nodes, two tabs).</summary>
public static class Follows
{
    /// <summary>The post path: a member who comments follows the conversation, unless they turned that off or muted it.</summary>
    public static void AddOnComment(StatementList statements, Comment comment, Member? member, DateTime now)
    {
        if (member is not { FollowOnComment: true } || comment.Author.UserId != member.UserId)
        {
            return;
        }
        statements.Add("""
            INSERT INTO "Follows" ("UserId", "ThreadId", "SiteId", "State", "CreatedAt", "SinceCommentId") VALUES ({0}, {1}, {2}, {3}, {4}, {5})
            ON CONFLICT ("UserId", "ThreadId") DO NOTHING
            """, member.UserId, comment.ThreadId, comment.SiteId, Follow.Following, now, comment.Id);
    }

    /// <summary>Sets the person's state for the thread: following, muted, or (null) neither.</summary>
    public static async Task SetAsync(HearthDb db, long userId, CommentThread thread, string? state, DateTime now, CancellationToken ct)
    {
        if (state is null)
        {
            await db.Set<Follow>().Where(f => f.UserId == userId && f.ThreadId == thread.Id).ExecuteDeleteAsync(ct);
            return;
        }
        var since = await db.Comments.Where(c => c.ThreadId == thread.Id).MaxAsync(c => (long?)c.Id, ct) ?? 0;
        var statements = new StatementList();
        statements.Add("""
            INSERT INTO "Follows" ("UserId", "ThreadId", "SiteId", "State", "CreatedAt", "SinceCommentId") VALUES ({0}, {1}, {2}, {3}, {4}, {5})
            ON CONFLICT ("UserId", "ThreadId") DO UPDATE SET "State" = "excluded"."State", "CreatedAt" = "excluded"."CreatedAt",
                "SinceCommentId" = CASE WHEN "Follows"."State" = "excluded"."State" THEN "Follows"."SinceCommentId" ELSE "excluded"."SinceCommentId" END
            """, userId, thread.Id, thread.SiteId, state, now, since);
        await statements.RunAsync(db, ct);
    }

    public static Task<string?> StateAsync(HearthDb db, long userId, long threadId, CancellationToken ct) =>
        db.Set<Follow>().AsNoTracking().Where(f => f.UserId == userId && f.ThreadId == threadId).Select(f => f.State).FirstOrDefaultAsync(ct);
}
