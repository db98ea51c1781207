namespace Hearth.Storage;

/// <summary>
/// Forgets, once an hour on one node of the instance, rows that can no longer be used, so tables hold only what still
/// matters. A failed round is logged and tried again at the next renewal of the lease; nothing waits on it.
/// </summary>
abstract class HourlyCleanup(IServiceScopeFactory scopes, Leases leases, TimeProvider clock, ILogger logger)
    : LeasedWork(leases, clock, logger)
{
    static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    // A node that takes the lease over cleans at once: one round too many costs a query, one too few leaves rows.
    DateTime _lastRound = DateTime.MinValue;

    protected override string LeaseName => "cleanup:" + GetType().Name;

    /// <summary>What goes, in words for the log ("expired idempotency records").</summary>
    protected abstract string What { get; }

    /// <summary>Removes what has run out by now; returns how many rows went.</summary>
    protected abstract Task<int> RemoveAsync(HearthDb db, DateTime now, CancellationToken ct);

    protected override async Task RunAsync(CancellationToken ct)
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        if (now - _lastRound < Interval)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var removed = await RemoveAsync(scope.ServiceProvider.GetRequiredService<HearthDb>(), now, ct);
        _lastRound = now;
        if (removed > 0)
        {
            Logger.LogInformation("Forgot {Count} {What}", removed, What);
        }
    }
}
