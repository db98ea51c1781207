using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Moderation.SpamFilter;

/// <summary>A site's model in the database: read only as much of it as some tokens need, and write back what changed.</summary>
public sealed class SpamModels(HearthDb db)
{
    /// <summary>Keeps each query's list of tokens well inside what a statement may carry (a comment has fewer).</summary>
    const int TokensPerQuery = 500;

    /// <summary>
    /// For scoring a post: the site's totals and its counts of these tokens, nothing more, in one command of two
    /// statements. This runs for every post, so it is plain SQL, the same text at every post: the tokens are one
    /// parameter (a JSON array on SQLite, an array on PostgreSQL). A parameter per token made a new text for every
    /// length of comment, and SQLite looks each parameter's name up in a list, so binding a hundred cost ten thousand
    /// comparisons.
    /// </summary>
    public async Task<SpamModel> ReadAsync(long siteId, IReadOnlyCollection<string> tokens, CancellationToken ct)
    {
        var totals = new SpamTotals { SiteId = siteId };
        var counts = new List<SpamTokenCount>();
        var postgres = db.Database.IsNpgsql();
        object list = postgres ? tokens.ToArray() : JsonSerializer.Serialize(tokens, SpamJson.Default.IReadOnlyCollectionString);
        await using var result = await db.ReadAsync(postgres ? ReadPostgres : ReadSqlite, [siteId, list], ct);
        var reader = result.Rows;
        if (await reader.ReadAsync(ct))
        {
            totals.SpamComments = reader.GetInt32(0);
            totals.HamComments = reader.GetInt32(1);
            totals.SpamTokens = reader.GetInt64(2);
            totals.HamTokens = reader.GetInt64(3);
            totals.Vocabulary = reader.GetInt32(4);
        }
        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            counts.Add(new SpamTokenCount { SiteId = siteId, Token = reader.GetString(0), Spam = reader.GetInt32(1), Ham = reader.GetInt32(2) });
        }
        return new SpamModel(totals, counts);
    }

    const string ReadTotals = """
        SELECT "SpamComments", "HamComments", "SpamTokens", "HamTokens", "Vocabulary" FROM "SpamTotals" WHERE "SiteId" = @p0;
        """;

    const string ReadSqlite = ReadTotals + """
        SELECT "Token", "Spam", "Ham" FROM "SpamTokens" WHERE "SiteId" = @p0 AND "Token" IN (SELECT "value" FROM json_each(@p1));
        """;

    const string ReadPostgres = ReadTotals + """
        SELECT "Token", "Spam", "Ham" FROM "SpamTokens" WHERE "SiteId" = @p0 AND "Token" = ANY(@p1);
        """;

    /// <summary>
    /// Learns (or takes back) the lessons in the database itself, as increments: each token's counts and the site's
    /// totals move by what the lessons add, whatever another node adds at the same moment, so no lesson is lost to a
    /// read and a write-back that crossed another. Runs in the caller's transaction, at once.
    /// </summary>
    public async Task LearnAsync(long siteId, IEnumerable<SpamLesson> lessons, CancellationToken ct)
    {
        var moves = new Dictionary<string, (int Spam, int Ham)>(StringComparer.Ordinal);
        int spamComments = 0, hamComments = 0;
        foreach (var lesson in lessons)
        {
            foreach (var token in lesson.Tokens.Distinct(StringComparer.Ordinal))
            {
                var (spam, ham) = moves.GetValueOrDefault(token);
                moves[token] = lesson.Spam ? (spam + lesson.Sign, ham) : (spam, ham + lesson.Sign);
            }
            (spamComments, hamComments) = lesson.Spam ? (spamComments + lesson.Sign, hamComments) : (spamComments, hamComments + lesson.Sign);
        }
        // Rows are locked in one order on every node (ordinal), so two learners on PostgreSQL wait for each other
        // instead of each holding a row the other needs.
        var changed = moves.Where(m => m.Value != (0, 0)).OrderBy(m => m.Key, StringComparer.Ordinal).ToList();
        var totals = new TotalsMove(spamComments, hamComments);
        var untidy = new List<string>();
        foreach (var chunk in changed.Chunk(TokensPerQuery))
        {
            await CountAsync(siteId, chunk, totals, untidy, ct);
        }
        foreach (var chunk in untidy.Chunk(TokensPerQuery))
        {
            // A token the site has unlearned entirely is one it does not know: no row. (A node that counts it again
            // meanwhile waits for this transaction and then inserts it afresh.) A new row asked to take back what it
            // never learned is brought up to zero.
            var values = new List<object?>(chunk.Length + 1) { siteId };
            values.AddRange(chunk);
            await ExecuteAsync($"""
                UPDATE "SpamTokens" SET "Spam" = {AtLeastZero("\"Spam\"")}, "Ham" = {AtLeastZero("\"Ham\"")}
                WHERE "SiteId" = @p0 AND "Token" IN ({Parameters(1, chunk.Length)}) AND ("Spam" < 0 OR "Ham" < 0);
                DELETE FROM "SpamTokens" WHERE "SiteId" = @p0 AND "Token" IN ({Parameters(1, chunk.Length)}) AND "Spam" = 0 AND "Ham" = 0;
                """, values, ct);
        }
        if (totals.IsZero)
        {
            return;
        }
        await ExecuteAsync($"""
            INSERT INTO "SpamTotals" ("SiteId", "SpamComments", "HamComments", "SpamTokens", "HamTokens", "Vocabulary")
            VALUES (@p0, {AtLeastZero("@p1")}, {AtLeastZero("@p2")}, {AtLeastZero("@p3")}, {AtLeastZero("@p4")}, {AtLeastZero("@p5")})
            ON CONFLICT ("SiteId") DO UPDATE SET
                "SpamComments" = {AtLeastZero("\"SpamTotals\".\"SpamComments\" + @p1")},
                "HamComments" = {AtLeastZero("\"SpamTotals\".\"HamComments\" + @p2")},
                "SpamTokens" = {AtLeastZero("\"SpamTotals\".\"SpamTokens\" + @p3")},
                "HamTokens" = {AtLeastZero("\"SpamTotals\".\"HamTokens\" + @p4")},
                "Vocabulary" = {AtLeastZero("\"SpamTotals\".\"Vocabulary\" + @p5")};
            """, [siteId, totals.SpamComments, totals.HamComments, totals.SpamTokens, totals.HamTokens, totals.Vocabulary], ct);
    }

    /// <summary>
    /// Adds the moves to the tokens' counts in one statement, and from the counts it returns works out how the totals
    /// move: by what each count really moved (never below zero), and by the tokens that became known or unknown.
    /// </summary>
    async Task CountAsync(long siteId, KeyValuePair<string, (int Spam, int Ham)>[] moves, TotalsMove totals, List<string> untidy,
        CancellationToken ct)
    {
        var values = new List<object?>(moves.Length * 3 + 1) { siteId };
        var rows = new StringBuilder();
        foreach (var (token, (spam, ham)) in moves)
        {
            var at = values.Count;
            rows.Append(rows.Length == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@p0, @p{at}, @p{at + 1}, @p{at + 2})");
            values.AddRange([token, spam, ham]);
        }
        // A new row takes the moves as they are; a stored one adds them, never going below zero.
        var sql = $"""
            INSERT INTO "SpamTokens" ("SiteId", "Token", "Spam", "Ham") VALUES {rows}
            ON CONFLICT ("SiteId", "Token") DO UPDATE SET
                "Spam" = {AtLeastZero("\"SpamTokens\".\"Spam\" + excluded.\"Spam\"")},
                "Ham" = {AtLeastZero("\"SpamTokens\".\"Ham\" + excluded.\"Ham\"")}
            RETURNING "Token", "Spam", "Ham";
            """;
        var stored = new Dictionary<string, (int Spam, int Ham)>(moves.Length, StringComparer.Ordinal);
        await using (var result = await db.ReadAsync(sql, values, ct))
        {
            var reader = result.Rows;
            while (await reader.ReadAsync(ct))
            {
                stored[reader.GetString(0)] = (Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture),
                    Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture));
            }
        }
        foreach (var (token, (spamMove, hamMove)) in moves)
        {
            var (spam, ham) = stored[token];
            // Below zero only in a new row that was asked to take back what it never learned: it held nothing before.
            var isNew = spam < 0 || ham < 0;
            var (spamBefore, spamAfter) = Before(spam, spamMove, isNew);
            var (hamBefore, hamAfter) = Before(ham, hamMove, isNew);
            totals.SpamTokens += spamAfter - spamBefore;
            totals.HamTokens += hamAfter - hamBefore;
            totals.Vocabulary += (spamAfter + hamAfter > 0 ? 1 : 0) - (spamBefore + hamBefore > 0 ? 1 : 0);
            if (spamAfter + hamAfter == 0 || isNew)
            {
                untidy.Add(token);
            }
        }
    }

    /// <summary>
    /// A count before and after a move, from the count the database returned after it. A count stopped at zero held
    /// at most what the move took back; it is taken to have held all of it, which it did unless the counts were
    /// already short of the site's decisions.
    /// </summary>
    static (int Before, int After) Before(int returned, int move, bool isNew) =>
        isNew ? (0, Math.Max(returned, 0))
        : returned == 0 && move < 0 ? (-move, 0)
        : (returned - move, returned);

    static string AtLeastZero(string value) => $"CASE WHEN {value} < 0 THEN 0 ELSE {value} END";

    static string Parameters(int first, int count) =>
        string.Join(", ", Enumerable.Range(first, count).Select(i => "@p" + i.ToString(CultureInfo.InvariantCulture)));

    async Task ExecuteAsync(string sql, IReadOnlyList<object?> values, CancellationToken ct)
    {
        await using var result = await db.ReadAsync(sql, values, ct);
        // Every statement of the command runs, whichever engine reads them lazily.
        do
        {
            while (await result.Rows.ReadAsync(ct))
            {
            }
        }
        while (await result.Rows.NextResultAsync(ct));
    }

    sealed class TotalsMove(int spamComments, int hamComments)
    {
        public int SpamComments { get; } = spamComments;
        public int HamComments { get; } = hamComments;
        public long SpamTokens { get; set; }
        public long HamTokens { get; set; }
        public int Vocabulary { get; set; }

        public bool IsZero => SpamComments == 0 && HamComments == 0 && SpamTokens == 0 && HamTokens == 0 && Vocabulary == 0;
    }
}

/// <summary>One comment's tokens, learned (<see cref="Sign"/> 1) or taken back (-1) as spam or as not spam.</summary>
public sealed record SpamLesson(IReadOnlyCollection<string> Tokens, bool Spam, int Sign);

[JsonSerializable(typeof(IReadOnlyCollection<string>))]
sealed partial class SpamJson : JsonSerializerContext;
