using System.Text.RegularExpressions;
using Hearth.Conversations;
using Hearth.Storage;

namespace Hearth.Notifications;

/// <summary>
/// "@AdaLovelace" in a comment tells Ada, when she took part in the conversation with an account: a mention is the
/// name she writes under, without its spaces, in any case. Only the conversation's own people can be mentioned (no one
/// is found across the instance by name), at most a few per comment, among the conversation's latest comments, so a
/// comment full of names costs a bounded amount of work. Whom each mention reached is kept too (<see cref="CommentMention"/>),
/// in the same command as the notifications, so that pages can link it.
/// </summary>
public static partial class Mentions
{
    const int MaxPerComment = 5;

    /// <summary>How far back in a conversation its people are looked for: its latest comments written with an account.</summary>
    public const int LatestComments = 1_000;

    [GeneratedRegex(@"(?<![\p{L}\p{N}_.@/])@([\p{L}\p{N}_.\-']{2,80})")]
    public static partial Regex Mention();

    /// <summary>The names mentioned, as compared: lower case, without spaces, trailing punctuation dropped.</summary>
    public static IReadOnlyList<string> In(string source) =>
        [.. Mention().Matches(source).Select(m => Compared(m.Groups[1].Value))
            .Where(n => n.Length >= 2).Distinct().Take(MaxPerComment)];

    /// <summary>A matched "@name" (without the "@") as it is compared with people's names.</summary>
    public static string Compared(string matched) => Written(matched).ToLowerInvariant();

    /// <summary>What of a matched "@name" (without the "@") names someone: a full stop or dash after it ends a sentence.</summary>
    public static string Written(string matched) => matched.TrimEnd('.', '-', '\'');

    [GeneratedRegex(@"^[\p{L}\p{N}_.\-']{2,80}$")]
    private static partial Regex Whole();

    [GeneratedRegex(@"^[\p{L}\p{N}_.\-']{0,80}$")]
    private static partial Regex Start();

    /// <summary>Whether these letters, typed after "@", could begin a mention (nothing typed yet is a beginning too).</summary>
    public static bool CouldStart(string typed) => Start().IsMatch(typed);

    /// <summary>
    /// How someone is mentioned: their name without its spaces, in their own case; null when no mention can reach them
    /// (a name with characters a mention cannot hold, or ending in punctuation, which a mention leaves out).
    /// </summary>
    public static string? FormOf(string name)
    {
        var form = name.Replace(" ", "", StringComparison.Ordinal);
        return Whole().IsMatch(form) && Written(form) == form ? form : null;
    }

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
        var names = In(comment.Source);
        Remember(statements, comment, names);
        foreach (var name in names)
        {
            statements.Add($$"""
                INSERT INTO "Notifications" ("UserId", "SiteId", "ThreadId", "CommentId", "Kind", "CreatedAt")
                SELECT DISTINCT "c"."Author_UserId", {0}, {1}, {2}, {3}, {4}
                FROM (SELECT "Author_UserId", "Author_Name" FROM "Comments" WHERE "ThreadId" = {1} AND "Status" = {5} AND "Author_UserId" IS NOT NULL
                      ORDER BY "Id" DESC LIMIT {{LatestComments}}) AS "c"
                WHERE LOWER(REPLACE("c"."Author_Name", ' ', '')) = {6} AND "c"."Author_UserId" <> {7}
                  AND NOT EXISTS (SELECT 1 FROM "Follows" AS "f" WHERE "f"."UserId" = "c"."Author_UserId" AND "f"."ThreadId" = {1} AND "f"."State" = 'muted')
                  AND NOT EXISTS (SELECT 1 FROM "People" AS "p" JOIN "PersonFollows" AS "m" ON "m"."PersonId" = "p"."Id" AND "m"."UserId" = "c"."Author_UserId"
                      WHERE "p"."SiteId" = {0} AND "p"."Key" = {8} AND "m"."State" = 'muted')
                  AND NOT EXISTS (SELECT 1 FROM "Notifications" AS "n" WHERE "n"."UserId" = "c"."Author_UserId" AND "n"."CommentId" = {2})
                ON CONFLICT ("UserId", "CommentId", "Kind") DO NOTHING
                """, comment.SiteId, comment.ThreadId, comment.Id, Notification.Mention, now, nameof(CommentStatus.Published), name,
                comment.Author.UserId ?? -1L, comment.Author.Key);
        }
    }

    /// <summary>
    /// The words of a comment changed (its author's or a moderator's edit): whom its mentions reach is found again
    /// among the conversation's people as they are now, so a mention taken out links no one and one put in links its
    /// person. Nobody is notified again.
    /// </summary>
    public static void Rematch(StatementList statements, Comment comment)
    {
        statements.Add("""DELETE FROM "CommentMentions" WHERE "CommentId" = {0}""", comment.Id);
        if (comment.Status == CommentStatus.Published && comment.Source.Contains('@'))
        {
            Remember(statements, comment, In(comment.Source));
        }
    }

    /// <summary>Whom the names reach, among the same people the notifications look at (themselves included).</summary>
    static void Remember(StatementList statements, Comment comment, IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            return;
        }
        var values = new List<object?>(names.Count + 3) { comment.Id, comment.ThreadId, nameof(CommentStatus.Published) };
        values.AddRange(names);
        var placeholders = string.Join(", ", names.Select((_, i) => "{" + (i + 3).ToString(System.Globalization.CultureInfo.InvariantCulture) + "}"));
        statements.Add($$"""
            INSERT INTO "CommentMentions" ("CommentId", "UserId", "Name")
            SELECT {0}, "c"."Author_UserId", MIN(LOWER(REPLACE("c"."Author_Name", ' ', '')))
            FROM (SELECT "Author_UserId", "Author_Name" FROM "Comments" WHERE "ThreadId" = {1} AND "Status" = {2} AND "Author_UserId" IS NOT NULL
                  ORDER BY "Id" DESC LIMIT {{LatestComments}}) AS "c"
            WHERE LOWER(REPLACE("c"."Author_Name", ' ', '')) IN ({{placeholders}})
            GROUP BY "c"."Author_UserId"
            ON CONFLICT ("CommentId", "UserId") DO NOTHING
            """, [.. values]);
    }
}
