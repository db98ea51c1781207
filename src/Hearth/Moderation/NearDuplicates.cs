using System.Security.Cryptography;
using System.Text;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Moderation;

/// <summary>
/// The same words posted across many pages, or under many names, within a day: a spam run, held for a moderator.
/// "The same" is the same distinct words in any order, or, for comments of eight words or more, nearly the same
/// sequence of words (a few changed, added or dropped: see <see cref="SimilarWords"/>). Short comments ("Thank you!")
/// are said alike by many people and are left alone.
/// </summary>
public sealed class NearDuplicates(HearthDb db) : IBatchCheck
{
    const int MinimumWords = 5;
    const int Repeats = 2;
    public static readonly TimeSpan Window = TimeSpan.FromDays(1);

    /// <summary>From the words of a comment's source (<see cref="WordList.Words"/>); null for a comment too short to judge this way.</summary>
    public static string? Hash(IReadOnlyList<string> sourceWords)
    {
        var words = sourceWords.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return words.Count < MinimumWords ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(' ', words))));
    }

    /// <summary>
    /// Per key, at most this many of the day's latest comments are compared. A run's copies share most of their keys
    /// with each other, so its latest copies come up under nearly every key; without a bound, a long run (or a key
    /// that many unrelated comments happen to share) would make every post read more of the day.
    /// </summary>
    const int LatestPerKey = 50;

    /// <summary>At most this many earlier comments of each kind (same words, nearly the same) are looked at.</summary>
    const int Earlier = 100;

    public async ValueTask<CheckOutcome?> RunAsync(CommentDraft draft, CancellationToken ct)
    {
        var hash = draft.Body.WordsHash;
        var bands = draft.Body.Fingerprint;
        if (hash is null && bands is null)
        {
            return null;
        }
        // One statement that reads index ranges bounded by the window and the limits above, and counts in the
        // database: loading the day's matching rows to count them here grew with every post of the day.
        // The same words are looked up by their own index (an OR with the bands would read the site's whole day).
        var postgres = db.Database.IsNpgsql();
        var values = new List<object?> { draft.Site.Id, draft.Now - Window, hash, draft.Thread?.Id ?? 0, draft.Author.Key,
            nameof(Conversations.CommentStatus.Deleted), SimilarityBand.List(bands is null ? [] : SimilarWords.Keys(bands), postgres),
            SimilarityBand.List(bands ?? [], postgres) };
        int pages, names;
        await using (var reader = await db.ReadAsync(postgres ? PostgresStatement : SqliteStatement, values, ct))
        {
            await reader.Rows.ReadAsync(ct);
            // COUNT is a 64-bit integer on PostgreSQL.
            pages = (int)reader.Rows.GetInt64(0);
            names = (int)reader.Rows.GetInt64(1);
        }
        if (pages >= Repeats)
        {
            return new Hold("duplicate", $"The same or nearly the same words were posted on {pages} other pages in the last day.");
        }
        return names >= Repeats ? new Hold("duplicate", $"The same or nearly the same words were posted under {names} other names in the last day.") : null;
    }

    static readonly string SqliteStatement = Statement(postgres: false), PostgresStatement = Statement(postgres: true);

    /// <summary>
    /// The same short statement for every post (the keys come as one value, @p6, and the bands as another, @p7): SQLite
    /// compiles a statement at every run. Candidates are the latest comments of the window under each key (PostgreSQL says
    /// so with a lateral subquery; SQLite, which has none, starts each key's range at its 50th latest comment, found by a
    /// subquery reading those 50 entries of the index); the latest 100 of them are then compared band by band, one
    /// look-up per band on the candidate's own rows, so eight keys crowded with recent comments cost no more than 2,400
    /// look-ups. CROSS JOIN keeps SQLite's loops in that order: its planner would otherwise read the site's
    /// whole day of keys.
    /// </summary>
    static string Statement(bool postgres)
    {
        var similar = postgres
            ? $"""
                WITH "Candidates" AS (
                    SELECT DISTINCT "k"."CommentId" FROM unnest(@p6) AS "j"("h") CROSS JOIN LATERAL (
                        SELECT "CommentId" FROM "SimilarityKeys" WHERE "SiteId" = @p0 AND "Hash" = "j"."h" AND "CreatedAt" >= @p1
                        ORDER BY "CommentId" DESC LIMIT {LatestPerKey}) AS "k"
                    ORDER BY "k"."CommentId" DESC LIMIT {Earlier}),
                "Similar" AS (
                    SELECT "c"."CommentId" FROM "Candidates" AS "c"
                    JOIN "SimilarityBands" AS "b" ON "b"."CommentId" = "c"."CommentId"
                    JOIN unnest(@p7) WITH ORDINALITY AS "s"("h", "i") ON "b"."Band" = "s"."i" - 1 AND "b"."Hash" = "s"."h"
                """
            : $"""
                WITH "Candidates" AS (
                    SELECT DISTINCT "k"."CommentId" FROM json_each(@p6) AS "j" CROSS JOIN "SimilarityKeys" AS "k"
                    WHERE "k"."SiteId" = @p0 AND "k"."Hash" = "j"."value" AND "k"."CreatedAt" >= @p1 AND "k"."CommentId" >= COALESCE((
                        SELECT "x"."CommentId" FROM "SimilarityKeys" AS "x" WHERE "x"."SiteId" = @p0 AND "x"."Hash" = "j"."value" AND "x"."CreatedAt" >= @p1
                        ORDER BY "x"."CommentId" DESC LIMIT 1 OFFSET {LatestPerKey - 1}), 0)
                    ORDER BY "k"."CommentId" DESC LIMIT {Earlier}),
                "Similar" AS (
                    SELECT "c"."CommentId" FROM "Candidates" AS "c" CROSS JOIN json_each(@p7) AS "s" CROSS JOIN "SimilarityBands" AS "b"
                    WHERE "b"."CommentId" = "c"."CommentId" AND "b"."Band" = "s"."key" AND "b"."Hash" = "s"."value"
                """;
        return similar + $"""

                    GROUP BY "c"."CommentId" HAVING COUNT(*) >= {SimilarWords.SharedBandsForSame} ORDER BY "c"."CommentId" DESC LIMIT {Earlier}),
                "Earlier" AS (
                    SELECT "ThreadId", "Author_Key" FROM (
                        SELECT "ThreadId", "Author_Key" FROM "Comments"
                        WHERE "SiteId" = @p0 AND "WordsHash" = @p2 AND "CreatedAt" >= @p1 AND "Status" <> @p5 AND {Conversations.CommentConfiguration.WrittenHere}
                        ORDER BY "Id" DESC LIMIT {Earlier}) AS "w"
                    UNION ALL
                    SELECT "c"."ThreadId", "c"."Author_Key" FROM "Similar" AS "s" JOIN "Comments" AS "c" ON "c"."Id" = "s"."CommentId"
                    WHERE "c"."Status" <> @p5)
                SELECT COUNT(DISTINCT CASE WHEN "ThreadId" <> @p3 THEN "ThreadId" END),
                       COUNT(DISTINCT CASE WHEN "Author_Key" <> @p4 THEN "Author_Key" END)
                FROM "Earlier"
                """;
    }
}
