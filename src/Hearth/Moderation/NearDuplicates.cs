using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hearth.Storage;

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

    /// <summary>Null for a comment too short to judge this way.</summary>
    public static string? Hash(string source)
    {
        var words = WordList.Words(source).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return words.Count < MinimumWords ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(' ', words))));
    }

    /// <summary>
    /// Per band, at most this many of the day's latest comments are compared. A run's copies share most of their bands
    /// with each other, so its latest copies come up under nearly every band; without a bound, a long run (or a band
    /// that many unrelated comments happen to share) would make every post read more of the day.
    /// </summary>
    const int LatestPerBand = 50;

    /// <summary>At most this many earlier comments of each kind (same words, nearly the same) are looked at.</summary>
    const int Earlier = 100;

    public async ValueTask<CheckOutcome?> RunAsync(CommentDraft draft, CancellationToken ct)
    {
        var hash = draft.Body.WordsHash;
        var bands = draft.Body.Fingerprint?.Distinct().ToArray();
        if (hash is null && bands is null)
        {
            return null;
        }
        // One statement that reads index ranges bounded by the window and the limits above, and counts in the
        // database: loading the day's matching rows to count them here grew with every post of the day.
        // The same words are looked up by their own index (an OR with the bands would read the site's whole day).
        var values = new List<object?> { draft.Site.Id, draft.Now - Window, hash, draft.Thread?.Id ?? 0, draft.Author.Key,
            nameof(Conversations.CommentStatus.Deleted) };
        var sql = new StringBuilder("""
            WITH "Shared" AS (
            """);
        if (bands is null)
        {
            sql.Append("""SELECT CAST(NULL AS BIGINT) AS "CommentId" WHERE 1 = 0""");
        }
        for (var i = 0; bands is not null && i < bands.Length; i++)
        {
            values.Add(bands[i]);
            sql.Append(i == 0 ? "" : " UNION ALL ").Append(CultureInfo.InvariantCulture, $"""
                SELECT "CommentId" FROM (SELECT "CommentId" FROM "SimilarityBands" WHERE "SiteId" = @p0 AND "Hash" = @p{values.Count - 1} AND "CreatedAt" >= @p1 ORDER BY "CommentId" DESC LIMIT {LatestPerBand}) AS "b{i}"
                """);
        }
        sql.Append(CultureInfo.InvariantCulture, $"""
            ),
            "Similar" AS (
                SELECT "CommentId" FROM "Shared" GROUP BY "CommentId" HAVING COUNT(*) >= {SimilarWords.SharedBandsForSame} ORDER BY "CommentId" DESC LIMIT {Earlier}),
            "Earlier" AS (
                SELECT "ThreadId", "Author_Key" FROM (
                    SELECT "ThreadId", "Author_Key" FROM "Comments"
                    WHERE "SiteId" = @p0 AND "WordsHash" = @p2 AND "CreatedAt" >= @p1 AND "Status" <> @p5
                    ORDER BY "Id" DESC LIMIT {Earlier}) AS "w"
                UNION ALL
                SELECT "c"."ThreadId", "c"."Author_Key" FROM "Similar" AS "s" JOIN "Comments" AS "c" ON "c"."Id" = "s"."CommentId"
                WHERE "c"."Status" <> @p5)
            SELECT COUNT(DISTINCT CASE WHEN "ThreadId" <> @p3 THEN "ThreadId" END),
                   COUNT(DISTINCT CASE WHEN "Author_Key" <> @p4 THEN "Author_Key" END)
            FROM "Earlier"
            """);
        int pages, names;
        await using (var reader = await db.ReadAsync(sql.ToString(), values, ct))
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
}
