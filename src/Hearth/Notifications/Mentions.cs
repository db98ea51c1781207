using System.Text.RegularExpressions;
using Hearth.Conversations;
using Hearth.Storage;

namespace Hearth.Notifications;

/// <summary>
/// "@AdaLovelace" in a comment tells Ada, when she took part in the conversation with an account: a mention is the
/// name she writes under, without its spaces, in any case. Only the conversation's own people can be mentioned (no one
/// is found across the instance by name), at most a few per comment, among the conversation's latest comments, so a
/// comment full of names costs a bounded amount of work.
/// </summary>
public static partial class Mentions
{
    const int MaxPerComment = 5;

    /// <summary>How far back in a conversation its people are looked for.</summary>
    const int LatestComments = 1_000;

    [GeneratedRegex(@"(?<![\p{L}\p{N}_.@/])@([\p{L}\p{N}_.\-']{2,80})")]
    private static partial Regex Mention();

    /// <summary>The names mentioned, as compared: lower case, without spaces, trailing punctuation dropped.</summary>
    public static IReadOnlyList<string> In(string source) =>
        [.. Mention().Matches(source).Select(m => m.Groups[1].Value.TrimEnd('.', '-', '\'').ToLowerInvariant())
            .Where(n => n.Length >= 2).Distinct().Take(MaxPerComment)];

    /// <summary>
    /// The notifications of a published comment's mentions, after any reply notification (someone answered and
    /// mentioned is told once, as answered).
    /// </summary>
    public static void AddTo(StatementList statements, Comment comment, DateTime now)
    {
        if (comment.Status != CommentStatus.Published || !comment.Source.Contains('@'))
        {
            return;
        }
        foreach (var name in In(comment.Source))
        {
            statements.Add($$"""
                INSERT INTO "Notifications" ("UserId", "SiteId", "ThreadId", "CommentId", "Kind", "CreatedAt")
                SELECT DISTINCT "c"."Author_UserId", {0}, {1}, {2}, {3}, {4}
                FROM (SELECT "Author_UserId", "Author_Name" FROM "Comments" WHERE "ThreadId" = {1} AND "Status" = {5} AND "Author_UserId" IS NOT NULL
                      ORDER BY "Id" DESC LIMIT {{LatestComments}}) AS "c"
                WHERE LOWER(REPLACE("c"."Author_Name", ' ', '')) = {6} AND "c"."Author_UserId" <> {7}
                  AND NOT EXISTS (SELECT 1 FROM "Follows" AS "f" WHERE "f"."UserId" = "c"."Author_UserId" AND "f"."ThreadId" = {1} AND "f"."State" = 'muted')
                  AND NOT EXISTS (SELECT 1 FROM "Notifications" AS "n" WHERE "n"."UserId" = "c"."Author_UserId" AND "n"."CommentId" = {2})
                ON CONFLICT ("UserId", "CommentId", "Kind") DO NOTHING
                """, comment.SiteId, comment.ThreadId, comment.Id, Notification.Mention, now, nameof(CommentStatus.Published), name,
                comment.Author.UserId ?? -1L);
        }
    }
}
