using Hearth.Conversations;
using Hearth.Sites;
using Hearth.Storage;

namespace Hearth.Notifications;

/// <summary>
/// A site that set a welcome message (<see cref="Site.WelcomeMessage"/>) greets each person with an account in their
/// inbox when their first comment there is published: a "welcome" notification pointing at that comment, written in
/// the same transaction (by the post, or by the decision that publishes it). The person's record, moved just before in
/// the same command, says it is their first (one approved); the unique key and the guard on an earlier welcome make it
/// once per person and site, from any node. The words are the site's as they are when the inbox is read.
/// </summary>
public static class WelcomeNotifications
{
    public const string Kind = "welcome";

    const string Insert = """
        INSERT INTO "Notifications" ("UserId", "SiteId", "ThreadId", "CommentId", "Kind", "CreatedAt")
        SELECT {0}, {1}, {2}, {3}, {4}, {5}
        WHERE EXISTS (SELECT 1 FROM "People" WHERE "SiteId" = {1} AND "Key" = {6} AND "Approved" = 1)
            AND NOT EXISTS (SELECT 1 FROM "Notifications" WHERE "UserId" = {0} AND "SiteId" = {1} AND "Kind" = {4})
        ON CONFLICT ("UserId", "CommentId", "Kind") DO NOTHING
        """;

    /// <summary>Adds the welcome to statements that run after the author's person record moved (the post path's).</summary>
    public static void AddTo(StatementList statements, Site site, Comment comment, DateTime now)
    {
        if (site.WelcomeMessage is not null && comment.Status == CommentStatus.Published && comment.Author.UserId is { } userId
            && !string.IsNullOrEmpty(comment.Author.Key))
        {
            statements.Add(Insert, userId, comment.SiteId, comment.ThreadId, comment.Id, Kind, now, comment.Author.Key);
        }
    }

    /// <summary>A held comment was published by a decision, after the person's record counted it.</summary>
    public static Task PublishedAsync(HearthDb db, Site site, Comment comment, DateTime now, CancellationToken ct)
    {
        var statements = new StatementList();
        AddTo(statements, site, comment, now);
        return statements.RunAsync(db, ct);
    }
}
