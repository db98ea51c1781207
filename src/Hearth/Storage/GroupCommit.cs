using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Storage;

/// <summary>
/// Writes that arrive while the database is busy wait together and are then stored in one transaction, each answered
/// only after that transaction has committed. A commit costs the same for one write as for fifty (the journal pages,
/// the index pages every write touches, the turn at the write lock), so under load each write pays a share of it.
/// Every write in a batch runs in the batch's scope, with its database context and connection, so it sees what the
/// writes before it stored, as it would have one transaction later. If anything in a batch fails, the batch is rolled
/// back and each of its writes runs again alone: a failing write fails by itself, and the others are stored. A write
/// that fails alone on a database constraint runs once more, so one that lost a race for a unique key to another node
/// finds what that node stored (insert-or-fetch by reading again), and one that PostgreSQL ended to break a deadlock with
/// another node's write runs again, up to a few times.
/// </summary>
public sealed class GroupCommit(IServiceScopeFactory scopes, WriteGate gate, WalCheckpoints checkpoints, BatchConnection connection, ILogger<GroupCommit> log)
{
    /// <summary>Keeps one batch, and so the write lock it holds, short for the other writers waiting their turn.</summary>
    public const int MaxBatch = 64;

    readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    int _draining;
    int _waiting;
    long _batches;
    long _committed;
    long _ranAgain;

    /// <summary>Writes taken and not yet answered: queued, or in the batch being stored.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Transactions committed so far, and the writes they stored: their ratio is the mean batch.</summary>
    public (long Batches, long Writes) Committed => (Interlocked.Read(ref _batches), Interlocked.Read(ref _committed));

    /// <summary>Writes run again after the transaction they were in failed (a batch, or a write alone ended in a deadlock).</summary>
    public long RanAgain => Interlocked.Read(ref _ranAgain);

    /// <summary>
    /// Runs <paramref name="write"/> in a transaction with whatever other writes are waiting, and completes when that
    /// transaction is durable. The write gets the batch's services (its database context among them) and must not
    /// open or commit a transaction of its own, nor do anything outside the database it could not take back.
    /// </summary>
    /// <remarks>
    /// <paramref name="locks"/> says what the write will wait for, when known before it runs: a batch takes all its writes'
    /// locks first, in one order (<see cref="Conversations.ThreadLocks.ForBatchAsync"/>), its threads in ascending id
    /// order as every writer of several threads does on PostgreSQL. Locked in the order the writes arrived, a batch
    /// crossing a bulk decision on the same threads, or another node's batch, would deadlock with it, and its writes would
    /// all run again alone.
    /// </remarks>
    public Task<T> RunAsync<T>(Func<IServiceProvider, CancellationToken, Task<T>> write, CancellationToken ct, Conversations.PostLocks? locks = null)
    {
        var work = new Work<T>(write, ct, this, locks);
        Interlocked.Increment(ref _waiting);
        if (!_queue.Writer.TryWrite(work))
        {
            throw new InvalidOperationException("The write queue is closed.");
        }
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }
        return work.Task;
    }

    /// <summary>
    /// Runs while writes wait and stops when none do, so no background task outlives the work (there is nothing to
    /// start or stop with the host).
    /// </summary>
    async Task DrainAsync()
    {
        var batch = new List<Work>(MaxBatch);
        while (true)
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var work))
            {
                if (work.Cancelled)
                {
                    work.Cancel();
                }
                else
                {
                    batch.Add(work);
                }
            }
            if (batch.Count == 0)
            {
                Volatile.Write(ref _draining, 0);
                // A write queued between the last read and the line above found the flag still set and started nobody.
                if (_queue.Reader.TryPeek(out _) && Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
                {
                    continue;
                }
                return;
            }
            await RunBatchAsync(batch);
            batch.Clear();
        }
    }

    async Task RunBatchAsync(List<Work> batch)
    {
        using var turn = await gate.EnterAsync(CancellationToken.None);
        try
        {
            await CommitAsync(batch);
            foreach (var work in batch)
            {
                work.Complete();
            }
            return;
        }
        catch (Exception error) when (batch.Count > 1)
        {
            log.LogWarning(error, "A batch of {Count} writes failed; each runs again alone.", batch.Count);
        }
        catch (Exception error) when (error is DbUpdateException || LostToAnotherWriter(error))
        {
            // A write alone that met a unique key another node has just stored (the same Idempotency-Key, say) runs
            // once more: it now reads what that node stored and answers from it. If it fails again, it fails, unless
            // PostgreSQL ended it to break a deadlock (below).
        }
        catch (Exception error)
        {
            batch[0].Fail(error);
            return;
        }
        foreach (var work in batch)
        {
            for (var attempt = 1; ; attempt++)
            {
                Interlocked.Increment(ref _ranAgain);
                try
                {
                    await CommitAsync([work]);
                    work.Complete();
                    break;
                }
                catch (Exception error) when (attempt < AttemptsAlone && LostToAnotherWriter(error))
                {
                    // Batches take their locks in one order, but other writers do not all follow it (a bulk decision
                    // changes its authors' records in the order it finds them): a wait that crosses one of them ends
                    // with PostgreSQL rolling one back. Its transaction took nothing with it: it runs again, a little
                    // later, and usually alone.
                    log.LogInformation("A write met another node's in a deadlock; attempt {Attempt} of {Attempts}.", attempt + 1, AttemptsAlone);
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 50) * attempt));
                }
                catch (Exception error)
                {
                    work.Fail(error);
                    break;
                }
            }
        }
    }

    /// <summary>How often a write alone runs when PostgreSQL ends it to break a deadlock or a serialisation conflict.</summary>
    const int AttemptsAlone = 5;

    /// <summary>
    /// Whether PostgreSQL ended this transaction to break a deadlock or a serialisation conflict: it did nothing, and
    /// running it again is safe.
    /// </summary>
    public static bool LostToAnotherWriter(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.DeadlockDetected or Npgsql.PostgresErrorCodes.SerializationFailure })
            {
                return true;
            }
        }
        return false;
    }

    async Task CommitAsync(List<Work> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var kept = connection.ContextForBatch();
        scope.ServiceProvider.GetRequiredService<BatchScope>().Db = kept;
        try
        {
            await CommitAsync(scope.ServiceProvider, batch);
        }
        catch when (kept is not null)
        {
            connection.Drop();
            throw;
        }
    }

    async Task CommitAsync(IServiceProvider services, List<Work> batch)
    {
        var db = services.GetRequiredService<HearthDb>();
        // The batch is all or nothing, then each write alone: EF's own savepoint around each save would only add two
        // statements to every save.
        db.Database.AutoSavepointsEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        await LockAsync(db, batch);
        foreach (var work in batch)
        {
            await work.RunAsync(services);
            // What one write left tracked (saved or not) is not the next one's business: it reads what was stored. A
            // write returns the thread moves it made; the context's own list would hand them to the next.
            db.ChangeTracker.Clear();
            db.LogMoves.Clear();
        }
        await transaction.CommitAsync(CancellationToken.None);
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _committed, batch.Count);
        if (db.Database.IsSqlite())
        {
            checkpoints.AfterCommit();
        }
    }

    /// <summary>
    /// One command on PostgreSQL, before any write of the batch reads: the locks of all its writes in one order (against
    /// deadlocks), and a single thread's too, so that the twin check (the same words from the same person) runs after any
    /// other node's post there has committed. Taken only with the count's update, the lock came after the look: two
    /// nodes given one double click both found no twin and both stored it. Nothing on SQLite, whose first write takes
    /// the whole database.
    /// </summary>
    static Task LockAsync(HearthDb db, List<Work> batch)
    {
        List<Conversations.PostLocks>? locks = null;
        foreach (var work in batch)
        {
            if (work.Locks is { } taken)
            {
                (locks ??= []).Add(taken);
            }
        }
        return locks is null ? Task.CompletedTask : Conversations.ThreadLocks.ForBatchAsync(db, locks, CancellationToken.None);
    }

    abstract class Work
    {
        public abstract Conversations.PostLocks? Locks { get; }
        public abstract bool Cancelled { get; }
        public abstract Task RunAsync(IServiceProvider services);
        public abstract void Complete();
        public abstract void Fail(Exception error);
        public abstract void Cancel();
    }

    sealed class Work<T>(Func<IServiceProvider, CancellationToken, Task<T>> write, CancellationToken ct, GroupCommit owner, Conversations.PostLocks? locks) : Work
    {
        public override Conversations.PostLocks? Locks => locks;
        readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        T _result = default!;

        public Task<T> Task => _done.Task;
        public override bool Cancelled => ct.IsCancellationRequested;

        // Once taken into a batch a write runs to the end whatever its caller does: the batch must not stop half-way.
        public override async Task RunAsync(IServiceProvider services) => _result = await write(services, CancellationToken.None);
        public override void Complete() => Answered(_done.TrySetResult(_result));
        public override void Fail(Exception error) => Answered(_done.TrySetException(error));
        public override void Cancel() => Answered(_done.TrySetCanceled(ct));

        void Answered(bool now)
        {
            if (now)
            {
                Interlocked.Decrement(ref owner._waiting);
            }
        }
    }
}
