using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Portability;

/// <summary>
/// Importing another system's export into a site, top to bottom: stage the whole file (a malformed one stops here, the
/// site untouched), rebuild its trees in SQL, then either tell what would happen (a dry run) or write it a chunk at a
/// time and add one entry to the log of each thread it changed. No moderation check runs and no live event is sent
/// per comment: these were conversations of the past. The staged rows (<see cref="StagingArea"/>) are removed however the run ends.
/// </summary>
public sealed class CommentImport(HearthDb db, WriteGate gate, MarkdownRenderer markdown, InstanceKey keys,
    Microsoft.Extensions.Options.IOptions<HearthOptions> options, TimeProvider clock)
{
    /// <param name="announce">Told of every thread the import changed, after its log moved (the change bus, in the server).</param>
    /// <param name="runId">The name its staged rows go by (a browser import's job gives its own, so a sweep finds them after a crash).</param>
    public async Task<ImportSummary> RunAsync(ImportRequest request, Stream file, IProgress<ImportProgress>? progress,
        Func<ThreadMove, Task>? announce, CancellationToken ct, string? runId = null)
    {
        runId ??= Guid.NewGuid().ToString();
        var summary = new ImportSummary { DryRun = request.DryRun };
        // The import's statements fill and drop SQLite's caches and journals by the tens of megabytes; what they free
        // goes back to the system as it goes, not held by the allocator until the process ends (NativeHeap).
        await using var givingBack = new Timer(_ => NativeHeap.GiveBackFree(), null, GiveBackEvery, GiveBackEvery);
        var cache = await ImportConnection.OpenAsync(db, ct);
        StagingArea? area = null;
        try
        {
            area = await StagingArea.OpenAsync(db, ImportRunner.FolderIn(options.Value), runId, ct);
            await new ImportStaging(db, gate, markdown, keys, area).RunAsync(runId, request, file, summary,
                clock.GetUtcNow().UtcDateTime, progress, ct);
            progress?.Report(new ImportProgress("resolving", 0, 0));
            await RefreshPlansAsync(ct);
            var resolution = new ImportResolution(db, gate, options, area);
            var rounds = await resolution.RunAsync(runId, ct);
            // The rebuild has just given the staged rows their rounds and places, which the writing selects on.
            await RefreshPlansAsync(ct);
            await ForeseeAsync(runId, request, summary, area, ct);
            if (request.DryRun)
            {
                return summary;
            }
            await area.WritingStartsAsync(db, ct);
            var pacing = new ImportPacing(db);
            var writing = new ImportWriting(db, gate, area, pacing);
            var kept = await db.Database.SqlQueryRaw<long>(area.Sql("""
                SELECT COUNT(*) AS "Value" FROM "ImportRows" WHERE "RunId" = {0} AND "Kind" = 'C' AND "Skip" IS NULL
                """), runId).SingleAsync(ct);
            var touched = await writing.RunAsync(runId, request, rounds, kept, summary, progress, ct);
            progress?.Report(new ImportProgress("counting people", 0, 0));
            await ImportPeople.CountDaysAsync(db, gate, runId, request.SiteId, ct, area, pacing);
            progress?.Report(new ImportProgress("telling readers", 0, 0));
            var moves = await writing.AnnounceAsync(touched, clock.GetUtcNow().UtcDateTime, ct);
            if (announce is not null)
            {
                foreach (var move in moves)
                {
                    await announce(move);
                }
            }
            return summary;
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is not OperationCanceledException)
        {
            // A statement stopped half-way may fail as the database driver sees it (PostgreSQL's driver gives up on an
            // answer to the cancellation after a while, on a busy server) rather than as a cancellation: it is one all the same.
            throw new OperationCanceledException("The import was stopped.", e, ct);
        }
        finally
        {
            progress?.Report(new ImportProgress("cleaning up", 0, 0));
            try
            {
                await ForgetAsync(runId, area);
            }
            finally
            {
                await ImportConnection.CloseAsync(db, cache);
            }
        }
    }

    static readonly TimeSpan GiveBackEvery = TimeSpan.FromSeconds(1);

    /// <summary>
    /// PostgreSQL plans each statement from what it last learned of the staging table, which a run fills and then
    /// changes wholesale: planned for the near-empty table it last saw, a statement read every staged row for each one
    /// (half a minute per statement for 12,000 comments on a busy machine). SQLite plans from the indexes alone.
    /// </summary>
    async Task RefreshPlansAsync(CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("""ANALYZE "ImportRows" """, ct);
        }
    }

    /// <summary>What the file holds against what the site has: threads made or met, comments new or present, what is passed over.</summary>
    async Task ForeseeAsync(string runId, ImportRequest request, ImportSummary summary, StagingArea area, CancellationToken ct)
    {
        var threads = await db.Database.SqlQueryRaw<Counts>(area.Sql("""
            SELECT COUNT(DISTINCT "t"."ThreadKey") AS "All",
                COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM "Threads" AS "th" WHERE "th"."SiteId" = {1} AND "th"."Key" = "t"."ThreadKey")
                    THEN "t"."ThreadKey" END) AS "Present",
                0 AS "Deleted"
            FROM "ImportRows" AS "t" WHERE "t"."RunId" = {0} AND "t"."Kind" = 'T' AND "t"."Skip" IS NULL
            """), runId, request.SiteId).SingleAsync(ct);
        summary.ThreadsCreated = (int)(threads.All - (threads.Present ?? 0));
        summary.ThreadsMatched = (int)(threads.Present ?? 0);
        foreach (var skipped in await db.Database.SqlQueryRaw<Skipped>(area.Sql("""
            SELECT "Skip" AS "Reason", COUNT(*) AS "Count" FROM "ImportRows" WHERE "RunId" = {0} AND "Skip" IS NOT NULL GROUP BY "Skip"
            """), runId).ToListAsync(ct))
        {
            summary.Skip(skipped.Reason, skipped.Count);
        }
        if (!request.DryRun)
        {
            return;
        }
        var comments = await db.Database.SqlQueryRaw<Counts>(area.Sql("""
            SELECT COUNT(*) AS "All",
                SUM(CASE WHEN "x"."Id" IS NULL THEN 0 ELSE 1 END) AS "Present",
                SUM(CASE WHEN "x"."Id" IS NULL AND "c"."Status" = 'Deleted' THEN 1 ELSE 0 END) AS "Deleted"
            FROM "ImportRows" AS "c"
            LEFT JOIN "Comments" AS "x" ON "x"."SiteId" = {1} AND "x"."ImportSource" = {2} AND "x"."ImportId" = "c"."SourceId"
            WHERE "c"."RunId" = {0} AND "c"."Kind" = 'C' AND "c"."Skip" IS NULL
            """), runId, request.SiteId, request.Format.Name).SingleAsync(ct);
        summary.CommentsImported = comments.All - (comments.Present ?? 0);
        summary.AlreadyPresent = comments.Present ?? 0;
        summary.Tombstones = comments.Deleted ?? 0;
    }

    sealed record Counts(long All, long? Present, long? Deleted);

    sealed record Skipped(string Reason, long Count);

    /// <summary>
    /// The run's staged rows go, whether it finished, failed or was cancelled: on SQLite with their file, on PostgreSQL in
    /// pieces. A run whose file could not be made staged nothing.
    /// </summary>
    async Task ForgetAsync(string runId, StagingArea? area)
    {
        if (area is null)
        {
            return;
        }
        if (area.Apart)
        {
            await area.CloseAsync(db);
            return;
        }
        while (true)
        {
            using (await gate.EnterAsync(CancellationToken.None))
            {
                var removed = await db.Database.ExecuteSqlRawAsync("""
                    DELETE FROM "ImportRows" WHERE "Id" IN (SELECT "Id" FROM "ImportRows" WHERE "RunId" = {0} ORDER BY "Id" LIMIT 20000)
                    """, [runId], CancellationToken.None);
                await ImportConnection.RestartLogAsync(db, CancellationToken.None);
                if (removed == 0)
                {
                    return;
                }
            }
        }
    }
}
