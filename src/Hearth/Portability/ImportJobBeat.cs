using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Portability;

/// <summary>
/// What a run writes to its <see cref="ImportJob"/> while it goes on and when it ends, whether it runs in the server
/// (an upload) or in <c>hearth import</c>: where it is, every second, which is also the proof that its process is still
/// at it; a run that falls silent has stopped, and what it staged is swept (<see cref="StoppedImportCleanup"/>).
/// </summary>
sealed class ImportJobBeat(IServiceScopeFactory scopes, TimeProvider clock, ILogger logger, long jobId) : IProgress<ImportProgress>
{
    ImportProgress _current = new("waiting for another import on this server", 0, 0);

    /// <summary>Told of each step as well (the command's progress bar).</summary>
    public IProgress<ImportProgress>? Also { get; set; }

    public void Report(ImportProgress value)
    {
        Volatile.Write(ref _current, value);
        Also?.Report(value);
    }

    /// <summary>Writes where the run is, every second, until <paramref name="ct"/> ends it.</summary>
    public async Task BeatAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var now = Volatile.Read(ref _current);
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<HearthDb>().ImportJobs.Where(j => j.Id == jobId && j.Status == ImportJob.Running)
                        .ExecuteUpdateAsync(j => j.SetProperty(x => x.Phase, now.Phase).SetProperty(x => x.Done, now.Done).SetProperty(x => x.Total, now.Total)
                            .SetProperty(x => x.UpdatedAt, clock.GetUtcNow().UtcDateTime), ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database was busy or away for a moment: the next beat says it.
                    logger.LogWarning("Could not write the progress of import {Job}: {Error}", jobId, e.Message);
                }
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task FinishAsync(string status, string? summary, string? error)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var now = clock.GetUtcNow().UtcDateTime;
            // The error quotes the file (an element's name): cut to what the row holds rather than fail to say it.
            var said = error is null ? null : ImportFileException.Shown(error, 999);
            var lines = summary is { Length: > 4000 } ? summary[..ImportFileException.CutAt(summary, 3999)] + "…" : summary;
            await scope.ServiceProvider.GetRequiredService<HearthDb>().ImportJobs.Where(j => j.Id == jobId)
                .ExecuteUpdateAsync(j => j.SetProperty(x => x.Status, status).SetProperty(x => x.Phase, status)
                    .SetProperty(x => x.Summary, lines).SetProperty(x => x.Error, said)
                    .SetProperty(x => x.UpdatedAt, now).SetProperty(x => x.FinishedAt, now), CancellationToken.None);
        }
        catch (Exception e)
        {
            // The row falls silent, and the page tells it stopped: the person imports the file again.
            logger.LogError(e, "Could not write how import {Job} ended ({Status})", jobId, status);
        }
    }
}
