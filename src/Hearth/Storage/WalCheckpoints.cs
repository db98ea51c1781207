using Microsoft.EntityFrameworkCore;

namespace Hearth.Storage;

/// <summary>
/// On SQLite, copies the pages that batches of posts wrote to the write-ahead log into the database file, on a
/// connection of its own, while the next batch is stored. Left to SQLite, the copy runs inside the commit of whichever
/// write fills the log: that was the single writer's commit, and it made one batch in four wait for a copy of the
/// others' pages and two syncs (about 150 µs of the writer's time per post, measured). A passive checkpoint never
/// waits for a reader or a writer, so it takes nobody's turn; SQLite's own checkpoint stays behind it, at a larger log
/// (<see cref="SqlitePragmas"/>), for writes outside batches and for when this one falls behind.
/// </summary>
public sealed class WalCheckpoints(IServiceScopeFactory scopes, ILogger<WalCheckpoints> log, TimeProvider clock)
{
    /// <summary>
    /// A copy costs two syncs whatever its size, and copies again every page the posts since the last one changed (the
    /// same index pages, mostly): 50 ms apart, the copies cost more CPU per post than the writer saved; 150 to 250 ms
    /// apart, about what SQLite's own did (side by side, realistic posting).
    /// </summary>
    static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(200);

    int _running;
    long _lastEnded;
    long _done;

    /// <summary>Copies this node has made so far.</summary>
    public long Done => Interlocked.Read(ref _done);

    /// <summary>After a batch committed: starts a copy unless one runs or one ended a moment ago.</summary>
    public void AfterCommit()
    {
        if (clock.GetTimestamp() - Interlocked.Read(ref _lastEnded) < Pause.TotalSeconds * clock.TimestampFrequency
            || Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            return;
        }
        _ = Task.Run(RunAsync, CancellationToken.None);
    }

    async Task RunAsync()
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(PASSIVE)", CancellationToken.None);
            Interlocked.Increment(ref _done);
        }
        catch (Exception error)
        {
            // Nothing is lost: the pages stay in the log, and SQLite's own checkpoint copies them later.
            log.LogWarning(error, "Copying the write-ahead log into the database file failed; SQLite will do it at its next checkpoint.");
        }
        finally
        {
            Interlocked.Exchange(ref _lastEnded, clock.GetTimestamp());
            Volatile.Write(ref _running, 0);
        }
    }
}
