namespace Hearth.Storage;

/// <summary>
/// Forgets, once an hour, rows that can no longer be used, so tables hold only what still matters. A failed round
/// is logged and tried again an hour later; nothing waits on it.
/// </summary>
abstract class HourlyCleanup(IServiceScopeFactory scopes, TimeProvider clock, ILogger logger) : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>What goes, in words for the log ("expired idempotency records").</summary>
    protected abstract string What { get; }

    /// <summary>Removes what has run out by now; returns how many rows went.</summary>
    protected abstract Task<int> RemoveAsync(HearthDb db, DateTime now, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var removed = await RemoveAsync(scope.ServiceProvider.GetRequiredService<HearthDb>(), clock.GetUtcNow().UtcDateTime, stoppingToken);
                if (removed > 0)
                {
                    logger.LogInformation("Forgot {Count} {What}", removed, What);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not remove {What}; will try again in {Interval}", What, Interval);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
