using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Notifications;

/// <summary>
/// Being answered is the first thing that brings a person back: a published reply notifies the author of the comment it
/// answers, when that author has an account and is someone else. Written in the same transaction as the reply (or as the
/// decision that publishes a held one), so a reply is never stored without its notification nor the other way round. A
/// held reply notifies no one until a moderator lets it through.
/// </summary>
public static class ReplyNotifications
{
    // Not for someone who muted the conversation, or its writer ({6}, their key on the site).
    const string Insert = """
        INSERT INTO "Notifications" ("UserId", "SiteId", "ThreadId", "CommentId", "Kind", "CreatedAt")
        SELECT {0}, {1}, {2}, {3}, {4}, {5}
        WHERE NOT EXISTS (SELECT 1 FROM "Follows" WHERE "UserId" = {0} AND "ThreadId" = {2} AND "State" = 'muted')
          AND NOT EXISTS (SELECT 1 FROM "People" AS "p" JOIN "PersonFollows" AS "m" ON "m"."PersonId" = "p"."Id" AND "m"."UserId" = {0}
              WHERE "p"."SiteId" = {1} AND "p"."Key" = {6} AND "m"."State" = 'muted')
        ON CONFLICT ("UserId", "CommentId", "Kind") DO NOTHING
        """;

    /// <summary>The post path: <paramref name="answered"/> is the comment the new one answers, already read.</summary>
    public static void AddTo(StatementList statements, Comment reply, Comment? answered, DateTime now)
    {
        if (For(reply, answered?.Author.UserId) is { } recipient)
        {
            statements.Add(Insert, recipient, reply.SiteId, reply.ThreadId, reply.Id, Notification.Reply, now, reply.Author.Key);
        }
    }

    /// <summary>A held comment was published by a decision: the one it answers, and those it mentions, are told now.</summary>
    public static async Task PublishedAsync(HearthDb db, Comment reply, DateTime now, CancellationToken ct)
    {
        var statements = new StatementList();
        if ((reply.ReplyToId ?? reply.ParentId) is not { } answeredId)
        {
            Mentions.AddTo(statements, reply, now);
            await statements.RunAsync(db, ct);
            return;
        }
        var answeredAuthor = await db.Comments.AsNoTracking().Where(c => c.Id == answeredId).Select(c => c.Author.UserId).FirstOrDefaultAsync(ct);
        if (For(reply, answeredAuthor) is { } recipient)
        {
            statements.Add(Insert, recipient, reply.SiteId, reply.ThreadId, reply.Id, Notification.Reply, now, reply.Author.Key);
        }
        Mentions.AddTo(statements, reply, now);
        await statements.RunAsync(db, ct);
    }

    /// <summary>The comment answered is the one beside which a reply was placed (past the depth limit), else its parent.</summary>
    static long? For(Comment reply, long? answeredAuthor) =>
        reply.Status == CommentStatus.Published && (reply.ReplyToId ?? reply.ParentId) is not null && answeredAuthor is { } recipient && recipient != reply.Author.UserId
            ? recipient
            : null;
}
