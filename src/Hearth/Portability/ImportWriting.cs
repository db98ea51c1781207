using System.Globalization;
using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Portability;

/// <summary>
/// Writes the resolved rows into the site a chunk at a time, each chunk its own transaction in its own turn at the
/// write gate: the threads first (a thread with the same key is reused and left as it is), then the comments round by
/// round so parents are there before their replies. A comment already imported (same site, source and source id) is
/// passed over by the unique key, so running the import again adds nothing and finishes one that stopped. In the
/// same transaction as its comments, each chunk counts them into their threads and their authors' person records.
/// </summary>
sealed class ImportWriting(HearthDb db, WriteGate gate, StagingArea area, ImportPacing pacing)
{
    /// <summary>
    /// Comments per transaction. A chunk holds SQLite's one write lock for the whole of its transaction, and a post on any
    /// site waits it out: into a million comments a chunk of 5,000 takes about a second. Chunks of 10,000 wrote 200,000
    /// comments 5 s faster (fewer commits, which write every page a chunk changed) but held the lock twice as long.
    /// </summary>
    const int Chunk = 5_000;

    /// <summary>
    /// Comments per statement within a chunk. A statement inside a transaction keeps, in memory, the first copy of every
    /// page it changes, to undo itself alone; in a large site a statement of 10,000 comments changed some 60,000 pages
    /// (an import of a million comments peaked near 480 MB). The memory is handed back when each statement ends.
    /// </summary>
    const int PerStatement = 2_000;

    public async Task<SortedSet<long>> RunAsync(string runId, ImportRequest request, int rounds, long total, ImportSummary summary,
        IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        await WriteThreadsAsync(runId, request.SiteId, ct);
        var touched = new SortedSet<long>();
        long done = 0, written = 0, planned = Chunk;
        for (var round = 0; round < rounds; round++)
        {
            var after = 0L;
            while (true)
            {
                var upTo = await db.Database.SqlQueryRaw<long?>(area.Sql("""
                    SELECT MAX("Id") AS "Value" FROM (SELECT "Id" FROM "ImportRows"
                        WHERE "RunId" = {0} AND "Round" = {1} AND "Id" > {2} ORDER BY "Id" LIMIT {3}) AS "c"
                    """), runId, round, after, Chunk).SingleAsync(ct);
                if (upTo is not { } high)
                {
                    break;
                }
                var (sent, stored) = await AgainIfEndedAsync(() => WriteChunkAsync(runId, request.SiteId, request.Format.Name, round, after, high, touched, summary, ct));
                await pacing.TurnEndedAsync(ct);
                done += sent;
                written += stored;
                summary.AlreadyPresent += sent - stored;
                if (written >= planned && db.Database.IsNpgsql())
                {
                    planned = await AnalyseAsync(written, ct);
                }
                after = high;
                progress?.Report(new ImportProgress("writing", done, total));
            }
        }
        return touched;
    }

    /// <summary>
    /// PostgreSQL plans the next chunk's look-ups of parents from what it last learned of the comments: planned for the
    /// few it saw before the import, a chunk's insert read every new comment for each row (a statement over 30 s at 15,000
    /// comments). Learning again each time the import has doubled them keeps that bounded. A vacuum holding the table
    /// is not waited for past a moment (it would hold the import past its statement limit): the next chunk tries again.
    /// </summary>
    /// <returns>The number of comments written at which to learn again.</returns>
    async Task<long> AnalyseAsync(long written, CancellationToken ct)
    {
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("SET LOCAL lock_timeout = '2s'", ct);
            await db.Database.ExecuteSqlRawAsync("""ANALYZE "Comments" """, ct);
            await transaction.CommitAsync(ct);
            return written * 2;
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.LockNotAvailable)
        {
            return written + Chunk;
        }
    }

    async Task WriteThreadsAsync(string runId, long siteId, CancellationToken ct)
    {
        var after = 0L;
        while (true)
        {
            var upTo = await db.Database.SqlQueryRaw<long?>(area.Sql("""
                SELECT MAX("Id") AS "Value" FROM (SELECT "Id" FROM "ImportRows"
                    WHERE "RunId" = {0} AND "Kind" = 'T' AND "Id" > {1} ORDER BY "Id" LIMIT {2}) AS "t"
                """), runId, after, Chunk).SingleAsync(ct);
            if (upTo is not { } high)
            {
                return;
            }
            using (await gate.EnterAsync(ct))
            {
                await pacing.TurnStartsAsync(ct);
                // The first thread of the file with a key makes it: the rows go in the file's order, chunk after chunk, and a
                // later one with the same key meets the first and is passed over, as is one already in the site, which is
                // not changed at all. (Looking up the first of each key for every thread made this quadratic in threads.)
                await AgainIfEndedAsync(() => db.Database.ExecuteSqlRawAsync(area.Sql("""
                    INSERT INTO "Threads" ("SiteId", "Key", "Url", "Identifier", "Title", "CreatedAt", "CommentCount", "Locked", "EventSeq")
                    SELECT {0}, "t"."ThreadKey", "t"."Url", "t"."Identifier", "t"."Title", "t"."CreatedAt", 0, "t"."Closed", 0
                    FROM "ImportRows" AS "t"
                    WHERE "t"."RunId" = {1} AND "t"."Kind" = 'T' AND "t"."Skip" IS NULL AND "t"."Id" > {2} AND "t"."Id" <= {3}
                    ORDER BY "t"."Id"
                    ON CONFLICT ("SiteId", "Key") DO NOTHING
                    """), [siteId, runId, after, high], ct));
                await ImportConnection.RestartLogAsync(db, ct);
            }
            await pacing.TurnEndedAsync(ct);
            after = high;
        }
    }

    /// <summary>
    /// Runs a write of the import again when PostgreSQL ended it to break a deadlock (it then wrote nothing). A chunk
    /// changes the records of its authors and of the authors its replies answer, thousands at a time, in no order a post's
    /// batch shares (a lock per person, as a batch takes, would fill PostgreSQL's lock table); its threads' inserts may
    /// meet a post's new page. A batch holding one such row while it waits for another the import holds is a deadlock,
    /// and PostgreSQL ends one of the two: the import's part runs again, behind the batch.
    /// </summary>
    internal static async Task<T> AgainIfEndedAsync<T>(Func<Task<T>> write)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await write();
            }
            catch (Exception error) when (attempt < Attempts && GroupCommit.LostToAnotherWriter(error))
            {
            }
        }
    }

    const int Attempts = 5;

    async Task<(int Sent, int Written)> WriteChunkAsync(string runId, long siteId, string source, int round, long after, long high,
        SortedSet<long> touched, ImportSummary summary, CancellationToken ct)
    {
        using var turn = await gate.EnterAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await pacing.TurnStartsAsync(ct);
        var staged = await db.Database.SqlQueryRaw<long>(area.Sql("""
            SELECT "Id" AS "Value" FROM "ImportRows" WHERE "RunId" = {0} AND "Round" = {1} AND "Id" > {2} AND "Id" <= {3} ORDER BY "Id"
            """), runId, round, after, high).ToListAsync(ct);
        if (db.Database.IsNpgsql() && staged.Count > 0)
        {
            // The chunk's threads before any of its comments, lowest id first (ThreadLocks' order): its inserts then lock
            // parent comments and people's records only under threads it holds, as a post or a removal on those threads does.
            await db.Database.ExecuteSqlRawAsync("""
                SELECT 1 FROM "Threads" WHERE "Id" IN (
                    SELECT "th"."Id" FROM "ImportRows" AS "c"
                    JOIN "ImportRows" AS "t" ON "t"."RunId" = "c"."RunId" AND "t"."Kind" = 'T' AND "t"."SourceId" = "c"."ThreadSourceId"
                    JOIN "Threads" AS "th" ON "th"."SiteId" = {0} AND "th"."Key" = "t"."ThreadKey"
                    WHERE "c"."RunId" = {1} AND "c"."Round" = {2} AND "c"."Id" > {3} AND "c"."Id" <= {4})
                ORDER BY "Id" FOR NO KEY UPDATE
                """, [siteId, runId, round, after, high], ct);
        }
        var written = new List<(long Id, long ThreadId, string Status)>();
        foreach (var part in staged.Chunk(PerStatement))
        {
            await using (var rows = await db.ReadAsync(area.Sql("""
                INSERT INTO "Comments" ("SiteId", "ThreadId", "ParentId", "RootId", "Depth", "ReplyToId",
                    "Author_Kind", "Author_UserId", "Author_Name", "Author_Email", "Author_Website", "Author_Key", "Author_Avatar", "Author_Badges",
                    "Source", "Html", "BodyHash", "WordsHash", "Status", "ModerationReason", "ModerationDetail", "CreatedAt", "EditedAt",
                    "EditedByModerator", "Pinned", "Featured", "IpHash", "Upvotes", "Downvotes", "Rank", "ImportSource", "ImportId")
                SELECT @p0, "th"."Id", "p"."Id", CASE WHEN "p"."Id" IS NULL THEN NULL ELSE COALESCE("p"."RootId", "p"."Id") END, "c"."Depth", "a"."Id",
                    'Guest', NULL, "c"."AuthorName", "c"."AuthorEmail", "c"."AuthorUrl", "c"."AuthorKey", NULL, NULL,
                    "c"."Source", "c"."Html", "c"."BodyHash", "c"."WordsHash", "c"."Status", NULL, NULL, "c"."CreatedAt", NULL,
                    FALSE, FALSE, FALSE, NULL, 0, 0, 0, @p1, "c"."SourceId"
                FROM "ImportRows" AS "c"
                JOIN "ImportRows" AS "t" ON "t"."RunId" = "c"."RunId" AND "t"."Kind" = 'T' AND "t"."SourceId" = "c"."ThreadSourceId"
                JOIN "Threads" AS "th" ON "th"."SiteId" = @p0 AND "th"."Key" = "t"."ThreadKey"
                LEFT JOIN "Comments" AS "p" ON "p"."SiteId" = @p0 AND "p"."ImportSource" = @p1 AND "p"."ImportId" = "c"."PlacedUnder"
                LEFT JOIN "Comments" AS "a" ON "a"."SiteId" = @p0 AND "a"."ImportSource" = @p1 AND "a"."ImportId" = "c"."AnswersId"
                WHERE "c"."RunId" = @p2 AND "c"."Round" = @p3 AND "c"."Id" >= @p4 AND "c"."Id" <= @p5
                ON CONFLICT ("SiteId", "ImportSource", "ImportId") DO NOTHING
                RETURNING "Id", "ThreadId", "Status"
                """), [siteId, source, runId, round, part[0], part[^1]], ct))
            {
                while (await rows.Rows.ReadAsync(ct))
                {
                    written.Add((rows.Rows.GetInt64(0), rows.Rows.GetInt64(1), rows.Rows.GetString(2)));
                }
            }
        }
        if (written.Count > 0)
        {
            foreach (var w in written)
            {
                touched.Add(w.ThreadId);
            }
            var ids = string.Join(',', written.Select(w => w.Id.ToString(CultureInfo.InvariantCulture)));
            await CountIntoThreadsAsync(ids, ct);
            await ImportPeople.CountAsync(db, siteId, ids, ct);
        }
        await transaction.CommitAsync(ct);
        await ImportConnection.RestartLogAsync(db, ct);
        // Counted once the chunk is in: one ended half-way runs again.
        summary.CommentsImported += written.Count;
        summary.Tombstones += written.Count(w => w.Status == nameof(CommentStatus.Deleted));
        return (staged.Count, written.Count);
    }

    /// <summary>
    /// Counts the chunk's public comments into their threads, and moves each thread's last public comment to the newest
    /// of them unless the site's own is newer: one statement for the whole chunk, which spans thousands of threads.
    /// </summary>
    /// <param name="ids">The chunk's new comment ids, written by the database, as a comma-separated list.</param>
    async Task CountIntoThreadsAsync(string ids, CancellationToken ct)
    {
        var count = $$"""
            UPDATE "Threads" SET "CommentCount" = "Threads"."CommentCount" + "x"."Published",
                "LastCommentAt" = CASE WHEN "Threads"."LastCommentAt" IS NULL OR "Threads"."LastCommentAt" < "x"."Last"
                    THEN "x"."Last" ELSE "Threads"."LastCommentAt" END
            FROM (SELECT "ThreadId", COUNT(*) AS "Published", MAX("CreatedAt") AS "Last" FROM "Comments"
                WHERE "Id" IN ({{ids}}) AND "Status" = {0} GROUP BY "ThreadId") AS "x"
            WHERE "Threads"."Id" = "x"."ThreadId"
            """;
        await db.Database.ExecuteSqlRawAsync(count, [nameof(CommentStatus.Published)], ct);
    }

    /// <summary>
    /// One entry in the log of every thread the import changed, once it is over: each node drops the thread's cached
    /// pages when it hears of it (or when its periodic check sees the log moved), and no live stream is sent a
    /// comment.created per imported comment.
    /// </summary>
    public async Task<List<ThreadMove>> AnnounceAsync(IReadOnlyCollection<long> threads, DateTime now, CancellationToken ct)
    {
        var moves = new List<ThreadMove>(threads.Count);
        foreach (var chunk in threads.Chunk(500))
        {
            var ids = string.Join(',', chunk.Select(id => id.ToString(CultureInfo.InvariantCulture)));
            using (await gate.EnterAsync(ct))
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await pacing.TurnStartsAsync(ct);
                // The ids are the database's own numbers, never text from the file.
                var bump = $$"""
                    UPDATE "Threads" SET "EventSeq" = "EventSeq" + 1 WHERE "Id" IN ({{ids}})
                    RETURNING "SiteId", "Key", "Id" AS "ThreadId", "EventSeq" AS "Seq"
                    """;
                var moved = await db.Database.SqlQueryRaw<ThreadMove>(bump).ToListAsync(ct);
                var log = $$"""
                    INSERT INTO "ThreadEvents" ("SiteId", "ThreadId", "Seq", "CommentId", "Type", "At")
                    SELECT "SiteId", "Id", "EventSeq", {{ThreadEvent.NoComment}}, {0}, {1} FROM "Threads" WHERE "Id" IN ({{ids}})
                    """;
                await db.Database.ExecuteSqlRawAsync(log, [ThreadEvent.Imported, now], ct);
                await transaction.CommitAsync(ct);
                await ImportConnection.RestartLogAsync(db, ct);
                moves.AddRange(moved);
            }
            await pacing.TurnEndedAsync(ct);
        }
        return moves;
    }
}
