using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Identity;

/// <summary>Forgets sessions that have ended, hourly, so the table holds only sessions someone can still use.</summary>
sealed class SessionCleanup(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SessionCleanup> logger) : BackgroundService
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
                var now = clock.GetUtcNow().UtcDateTime;
                var removed = await db.MemberSessions.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync(stoppingToken);
                if (removed > 0)
                {
                    logger.LogInformation("Forgot {Count} ended sessions", removed);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not remove ended sessions; will try again in {Interval}", Interval);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
