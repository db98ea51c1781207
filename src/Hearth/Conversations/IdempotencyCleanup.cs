using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hearth.Conversations;

/// <summary>Forgets stored answers to Idempotency-Keys once they can no longer be replayed, so the table stays small.</summary>
sealed class IdempotencyCleanup(IServiceScopeFactory scopes, TimeProvider clock, IOptions<HearthOptions> options,
    ILogger<IdempotencyCleanup> logger) : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
                var cutoff = clock.GetUtcNow().UtcDateTime - options.Value.IdempotencyWindow;
                var removed = await db.IdempotencyRecords.Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync(stoppingToken);
                if (removed > 0)
                {
                    logger.LogInformation("Forgot {Count} expired idempotency records", removed);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not remove expired idempotency records; will try again in {Interval}", Interval);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
