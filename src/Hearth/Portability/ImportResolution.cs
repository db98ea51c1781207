using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hearth.Portability;

/// <summary>
/// Rebuilds the trees of the staged comments in SQL, whatever order the file listed them in: comments of no thread are
/// passed over, a reply whose parent is missing becomes a top-level comment, deleted comments without replies go, and
/// every comment is placed in rounds (top-level ones first, then their replies...), with Hearth's depth rule: a reply
/// to a comment at the deepest level sits beside it (<see cref="Conversations.Comment.Create"/>). Each round is one
/// statement per range of rows, so no depth in the file makes the process recurse, and what loops is the database.
/// </summary>
sealed class ImportResolution(HearthDb db, WriteGate gate, IOptions<HearthOptions> options, StagingArea? area = null)
{
    readonly StagingArea _area = area ?? StagingArea.InDatabase;

    const long Range = 20_000;

    /// <summary>Returns the number of rounds: the writing goes round by round, so every parent is written before its replies.</summary>
    public async Task<int> RunAsync(string runId, CancellationToken ct)
    {
        var (first, last) = await IdsAsync(runId, "TRUE", ct);
        await InRangesAsync(first, last, """
            UPDATE "ImportRows" SET "Skip" = 'no thread'
            WHERE "RunId" = {0} AND "Kind" = 'C' AND "Skip" IS NULL AND "Id" > {1} AND "Id" <= {2}
                AND NOT EXISTS (SELECT 1 FROM "ImportRows" AS "t" WHERE "t"."RunId" = {0} AND "t"."Kind" = 'T'
                    AND "t"."SourceId" = "ImportRows"."ThreadSourceId" AND "t"."Skip" IS NULL)
            """, runId, ct);
        await InRangesAsync(first, last, """
            UPDATE "ImportRows" SET "ParentSourceId" = NULL
            WHERE "RunId" = {0} AND "Kind" = 'C' AND "ParentSourceId" IS NOT NULL AND "Id" > {1} AND "Id" <= {2}
                AND NOT EXISTS (SELECT 1 FROM "ImportRows" AS "p" WHERE "p"."RunId" = {0} AND "p"."Kind" = 'C'
                    AND "p"."SourceId" = "ImportRows"."ParentSourceId" AND "p"."ThreadSourceId" = "ImportRows"."ThreadSourceId"
                    AND "p"."Skip" IS NULL)
            """, runId, ct);
        await DropDeletedAsync(runId, first, last, ct);
        await InRangesAsync(first, last, """
            UPDATE "ImportRows" SET "Round" = 0, "Depth" = 0
            WHERE "RunId" = {0} AND "Kind" = 'C' AND "Skip" IS NULL AND "ParentSourceId" IS NULL AND "Id" > {1} AND "Id" <= {2}
            """, runId, ct);
        var deepest = Math.Clamp(options.Value.MaxReplyDepth, 1, Conversations.Comment.ReplyDepthLimit);
        var round = 0;
        while (true)
        {
            // The parents are the ones placed in the last round; a reply to one at the deepest level goes beside it. A row
            // has one parent, placed once, so its replies are not placed yet; only comments have parents. Saying either
            // would lead SQLite to read every such row for each parent, instead of looking its replies up.
            var beside = $"\"p\".\"PlacedUnder\" IS NOT NULL AND \"p\".\"Depth\" >= {deepest}";
            var placing = $$"""
                UPDATE "ImportRows" SET "Round" = {{round + 1}},
                    "Depth" = CASE WHEN {{beside}} THEN "p"."Depth" ELSE "p"."Depth" + 1 END,
                    "PlacedUnder" = CASE WHEN {{beside}} THEN "p"."PlacedUnder" ELSE "p"."SourceId" END,
                    "AnswersId" = CASE WHEN {{beside}} THEN "p"."SourceId" ELSE NULL END
                FROM "ImportRows" AS "p"
                WHERE "ImportRows"."RunId" = {0} AND "ImportRows"."Skip" IS NULL
                    AND "p"."RunId" = {0} AND "p"."Kind" = 'C' AND "p"."Round" = {{round}} AND "p"."Id" > {1} AND "p"."Id" <= {2}
                    AND "p"."SourceId" = "ImportRows"."ParentSourceId"
                """;
            if (await InRoundAsync(runId, round, placing, ct) == 0)
            {
                break;
            }
            round++;
        }
        // Whatever is still not placed answers itself through a loop of parents: there is no place for it in a tree.
        await InRangesAsync(first, last, """
            UPDATE "ImportRows" SET "Skip" = 'reply loop'
            WHERE "RunId" = {0} AND "Kind" = 'C' AND "Skip" IS NULL AND "Round" IS NULL AND "Id" > {1} AND "Id" <= {2}
            """, runId, ct);
        return round + 1;
    }

    /// <summary>
    /// A deleted comment stays only as the place its replies hang from, and taking one away may leave its parent without
    /// any. The first step takes away those with no reply at all; each next step looks only at the parents of the ones the
    /// step before took away, which carry its number as their round (below zero: no placed comment has such a round, and
    /// the writing never selects one). A chain of deleted replies then costs a look-up per link, not a reading of every
    /// staged comment per link, as taking away whatever had become a leaf, again and again, did.
    /// </summary>
    async Task DropDeletedAsync(string runId, long first, long last, CancellationToken ct)
    {
        const string noReply = """
            NOT EXISTS (SELECT 1 FROM "ImportRows" AS "c" WHERE "c"."RunId" = {0} AND "c"."Kind" = 'C'
                AND "c"."ParentSourceId" = "ImportRows"."SourceId" AND "c"."Skip" IS NULL)
            """;
        var step = -1;
        var taken = await InRangesAsync(first, last, $$"""
            UPDATE "ImportRows" SET "Skip" = 'deleted', "Round" = {{step}}
            WHERE "RunId" = {0} AND "Kind" = 'C' AND "Skip" IS NULL AND "Status" = 'Deleted' AND "Id" > {1} AND "Id" <= {2}
                AND {{noReply}}
            """, runId, ct);
        while (taken > 0)
        {
            taken = await InRoundAsync(runId, step, $$"""
                UPDATE "ImportRows" SET "Skip" = 'deleted', "Round" = {{step - 1}}
                WHERE "RunId" = {0} AND "Kind" = 'C' AND "Skip" IS NULL AND "Status" = 'Deleted'
                    AND "SourceId" IN (SELECT "d"."ParentSourceId" FROM "ImportRows" AS "d"
                        WHERE "d"."RunId" = {0} AND "d"."Round" = {{step}} AND "d"."Id" > {1} AND "d"."Id" <= {2})
                    AND {{noReply}}
                """, ct);
            step--;
        }
    }

    /// <summary>The first id before the rows and the last id of the rows of the run that match, or (-1, -1) when none does.</summary>
    internal async Task<(long Before, long Last)> IdsAsync(string runId, string condition, CancellationToken ct)
    {
        // Only conditions written in this class are put into the text.
        var sql = $"SELECT MIN(\"Id\") AS \"Low\", MAX(\"Id\") AS \"High\" FROM \"ImportRows\" WHERE \"RunId\" = {{0}} AND {condition}";
        var ends = await db.Database.SqlQueryRaw<Ends>(_area.Sql(sql), runId).ToListAsync(ct);
        return ends is [{ Low: { } low, High: { } high }] ? (low - 1, high) : (-1, -1);
    }

    sealed record Ends(long? Low, long? High);

    async Task<long> InRangesAsync(long before, long last, string sql, string runId, CancellationToken ct)
    {
        var changed = 0L;
        for (var low = before; low < last; low += Range)
        {
            changed += await RunAsync(sql, [runId, low, Math.Min(low + Range, last)], ct);
        }
        return changed;
    }

    /// <summary>
    /// Runs a statement (its {1} and {2} the ends of a range of ids) over the rows of one round, as many ranges as it takes
    /// to hold them <see cref="Range"/> at a time. The ranges follow the round's own rows: a round whose few rows lie at
    /// both ends of a large file (two long chains, one listed first and one last) takes one statement, not one for every
    /// range of ids between them, which, round after round, grew with the file's size times its depth.
    /// </summary>
    async Task<long> InRoundAsync(string runId, int round, string sql, CancellationToken ct)
    {
        var changed = 0L;
        var after = 0L;
        while (true)
        {
            var page = await db.Database.SqlQueryRaw<Page>(_area.Sql("""
                SELECT MAX("Id") AS "High", COUNT(*) AS "Rows" FROM (SELECT "Id" FROM "ImportRows"
                    WHERE "RunId" = {0} AND "Round" = {1} AND "Id" > {2} ORDER BY "Id" LIMIT {3}) AS "r"
                """), runId, round, after, Range).SingleAsync(ct);
            if (page.High is not { } high)
            {
                return changed;
            }
            changed += await RunAsync(sql, [runId, after, high], ct);
            if (page.Rows < Range)
            {
                return changed;
            }
            after = high;
        }
    }

    sealed record Page(long? High, long Rows);

    /// <summary>
    /// One statement, in its own turn at the write gate, so posts and reads go on between the statements of an import;
    /// with the rows in a file of their own, it changes nothing of the instance's and needs no turn.
    /// </summary>
    async Task<int> RunAsync(string sql, object[] values, CancellationToken ct)
    {
        if (_area.Apart)
        {
            return await db.Database.ExecuteSqlRawAsync(_area.Sql(sql), values, ct);
        }
        using (await gate.EnterAsync(ct))
        {
            var changed = await db.Database.ExecuteSqlRawAsync(sql, values, ct);
            await ImportConnection.RestartLogAsync(db, ct);
            return changed;
        }
    }
}
