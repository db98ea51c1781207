using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Portability;

/// <summary>
/// An import keeps one connection open from start to end, and on SQLite gives it a larger page cache for the run: the
/// chunks' inserts land all over the comments' indexes, and with the default 2 MB each chunk read again the pages the
/// chunk before had just read (writing 200,000 comments took 35 s instead of 24). The cache is SQLite's memory, within
/// the import's budget; the connection goes back to the pool with the setting it came with.
/// </summary>
static class ImportConnection
{
    /// <summary>Kibibytes of page cache for the run.</summary>
    const int CacheKib = 32 * 1024;

    /// <summary>Opens the connection; returns SQLite's cache setting before the run, or null on PostgreSQL.</summary>
    public static async Task<long?> OpenAsync(HearthDb db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        if (db.Database.IsNpgsql())
        {
            return null;
        }
        var before = await db.Database.SqlQueryRaw<long>("""SELECT "cache_size" AS "Value" FROM pragma_cache_size()""").SingleAsync(ct);
        await SetAsync(db, -CacheKib, ct);
        return before;
    }

    /// <summary>
    /// Gives the connection back with the cache it came with; a handle whose setting could not be restored (the disk
    /// full, say) is taken out of the pool rather than handed to the server's requests with the import's cache.
    /// </summary>
    public static async Task CloseAsync(HearthDb db, long? before)
    {
        try
        {
            if (before is { } size)
            {
                await SetAsync(db, size, CancellationToken.None);
                // The log's file keeps the size of the largest write since it last started again, a chunk of the
                // import's: it is handed back to the disk once the run is over, unless a reader is in it just then.
                await CheckpointWithoutWaitingAsync(db, "TRUNCATE", CancellationToken.None);
            }
        }
        catch
        {
            if (db.Database.GetDbConnection() is Microsoft.Data.Sqlite.SqliteConnection connection)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearPool(connection);
            }
            throw;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// On SQLite, after each of the import's writes, while its turn at the write gate lasts: copies the whole log into
    /// the database file, so that the next write starts the log again from its beginning. SQLite does that only when a write begins with
    /// every page of it copied; another connection's write in between (the run's own progress, every second, or a post)
    /// leaves the next chunk to add to the log's end instead. A million-comment import grew the log to 9 GB that way,
    /// on disk and in every lookup of a page. The checkpoint does not wait: waiting for a reader, it would hold the write
    /// lock, and the posts beside the import would wait past their own limit (answered 503). A reader or a writer in
    /// the way makes it pass, and a later write of the import tries again. Only once the run has changed a few thousand
    /// rows since the last one: a copy costs two syncs of the disk, and a file with a long chain of replies makes a small
    /// statement and a small chunk per link of the chain.
    /// </summary>
    public static async Task RestartLogAsync(HearthDb db, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            return;
        }
        // Rows this connection has changed since it opened: SQLite counts them, the import keeps its connection for the run.
        var changed = await db.Database.SqlQueryRaw<long>("SELECT total_changes() AS \"Value\"").SingleAsync(ct);
        var last = LastRestart.GetOrCreateValue(db);
        if (changed - last.Value < RestartAfterRows)
        {
            return;
        }
        last.Value = changed;
        await CheckpointWithoutWaitingAsync(db, "RESTART", ct);
    }

    const long RestartAfterRows = 2_000;

    /// <summary>The rows changed when each run's context last had its log started again (one context per run, used by one caller at a time).</summary>
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<HearthDb, System.Runtime.CompilerServices.StrongBox<long>> LastRestart = new();

    /// <param name="mode">RESTART or TRUNCATE: written into the text, never from outside.</param>
    /// <remarks>
    /// A checkpoint that fails (the disk full as the file grows) fails nothing of the import's, whose writes are
    /// committed: the pages stay in the log, and SQLite's own checkpoint copies them later.
    /// </remarks>
    static async Task CheckpointWithoutWaitingAsync(HearthDb db, string mode, CancellationToken ct)
    {
        await db.Database.ExecuteSqlRawAsync("PRAGMA busy_timeout=0", ct);
        try
        {
            await using var result = await db.ReadAsync($"PRAGMA wal_checkpoint({mode})", [], ct);
            await result.Rows.ReadAsync(ct);
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
        }
        finally
        {
            // A number, never text from outside: PRAGMA takes no parameters.
            var wait = "PRAGMA busy_timeout=" + SqlitePragmas.BusyTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await db.Database.ExecuteSqlRawAsync(wait, CancellationToken.None);
        }
    }

    /// <summary>
    /// Kibibytes of page cache while others write beside the import: SQLite empties a connection's whole cache whenever
    /// another connection has written since its last statement, so with posts between most of the import's turns a large
    /// cache is filled and thrown away turn after turn, and the memory it churns is not all given back.
    /// </summary>
    const int SharedCacheKib = 8 * 1024;

    /// <summary>On SQLite, the import's cache for when it writes alone or beside others.</summary>
    public static Task UseCacheAsync(HearthDb db, bool othersWriting, CancellationToken ct) =>
        db.Database.IsNpgsql() ? Task.CompletedTask : SetAsync(db, -(othersWriting ? SharedCacheKib : CacheKib), ct);

    static Task SetAsync(HearthDb db, long size, CancellationToken ct)
    {
        // A number, never text from outside: PRAGMA takes no parameters.
        var pragma = "PRAGMA cache_size=" + size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return db.Database.ExecuteSqlRawAsync(pragma, ct);
    }
}
