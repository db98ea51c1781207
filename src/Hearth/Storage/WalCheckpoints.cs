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

    /// <summary>
    /// One copy at a time in this process: SQLite refuses a second checkpoint at once, without waiting. Internal so a
    /// test can hold it as a copy under way would.
    /// </summary>
    internal SemaphoreSlim Turn { get; } = new(1, 1);

    long _lastEnded;
    long _ended;

    /// <summary>Copies this node has started after batches and seen to the end (whole, partial while a reader held an older state, or failed).</summary>
    public long Ended => Interlocked.Read(ref _ended);

    /// <summary>After a batch committed: starts a copy unless one runs or one ended a moment ago.</summary>
    public void AfterCommit()
    {
        if (!Turn.Wait(0))
        {
            return;
        }
        if (clock.GetTimestamp() - Interlocked.Read(ref _lastEnded) < Pause.TotalSeconds * clock.TimestampFrequency)
        {
            Turn.Release();
            return;
        }
        _ = Task.Run(RunAsync, CancellationToken.None);
    }

    async Task RunAsync()
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await CheckpointAsync(scope.ServiceProvider.GetRequiredService<HearthDb>(), "PASSIVE", CancellationToken.None);
        }
        catch (Exception error)
        {
            // Nothing is lost: the pages stay in the log, and SQLite's own checkpoint copies them later.
            log.LogWarning(error, "Copying the write-ahead log into the database file failed; SQLite will do it at its next checkpoint.");
        }
        finally
        {
            Interlocked.Exchange(ref _lastEnded, clock.GetTimestamp());
            Turn.Release();
            // Counted last, so whoever sees the count sees this copy finished and the next one free to start.
            Interlocked.Increment(ref _ended);
        }
    }

    /// <summary>
    /// Copies the whole log into the file and empties it, for a deletion whose words must not stay in the log. A copy
    /// of ours under way is waited for (SQLite would answer "busy" and do nothing), and one by anyone else (another
    /// process, SQLite's own) is tried again a few times; the caller holds the write gate.
    /// </summary>
    public async Task EmptyLogAsync(HearthDb db, CancellationToken ct)
    {
        await Turn.WaitAsync(ct);
        try
        {
            for (var attempt = 1; attempt <= EmptyingAttempts; attempt++)
            {
                if (await CheckpointAsync(db, "TRUNCATE", ct))
                {
                    return;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), ct);
            }
            log.LogWarning("The write-ahead log could not be emptied after {Attempts} attempts; what was deleted stays in it until later writes overwrite it.", EmptyingAttempts);
        }
        finally
        {
            Turn.Release();
        }
    }

    const int EmptyingAttempts = 5;

    /// <summary>True when the checkpoint ran (not "busy") and took every page the log held.</summary>
    static async Task<bool> CheckpointAsync(HearthDb db, string mode, CancellationToken ct)
    {
        await using var result = await db.ReadAsync($"PRAGMA wal_checkpoint({mode})", [], ct);
        await result.Rows.ReadAsync(ct);
        return result.Rows.GetInt32(0) == 0 && result.Rows.GetInt32(1) == result.Rows.GetInt32(2);
    }
}
