using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Analytics;

/// <summary>
/// Works out one empty report as the server starts, before it listens: the first dashboard opened after a deploy then
/// finds its queries compiled and its code ready, instead of paying for that itself (a second and more on a big site).
/// It reads nothing (a day long before any comment) and writes nothing; on a new instance, with no site, it does nothing.
/// </summary>
sealed class ReportWarmUp(IServiceScopeFactory scopes, ILogger<ReportWarmUp> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
            if (await db.Sites.AsNoTracking().OrderBy(s => s.Id).FirstOrDefaultAsync(cancellationToken) is not { } site)
            {
                return;
            }
            var day = new DateOnly(2000, 1, 1);
            await scope.ServiceProvider.GetRequiredService<SiteAnalytics>().ReportAsync(site, null, new AnalyticsRange(day, day), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Only a head start: the first dashboard does the same work if this could not.
            logger.LogWarning("Could not warm the dashboard's report up: {Error}", e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
