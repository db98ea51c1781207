using Hearth.Live;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Portability;

/// <summary>
/// Runs the imports uploaded to this node, one at a time, in the background: the file is on this node's disk, so this
/// node runs it, and writes the run's progress to its <see cref="ImportJob"/> every second for any node's page to show.
/// Importing is idempotent, so a run stopped by a restart is resumed by importing the same file again. When the server
/// stops, the run is cancelled and its row says so before the server is gone.
/// </summary>
public sealed class ImportRunner(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ImportRunner> logger) : IHostedService
{
    readonly SemaphoreSlim _one = new(1, 1);
    readonly CancellationTokenSource _stopping = new();
    Task _running = Task.CompletedTask;

    /// <summary>Takes this node's one place for an import; false when a run is already going here.</summary>
    public bool TryReserve() => _one.Wait(0);

    /// <summary>Gives the place back when the upload failed before a run started.</summary>
    public void Release() => _one.Release();

    /// <summary>Runs the reserved import of the file at path (deleted afterwards) for the job, and gives the place back.</summary>
    public void Start(long jobId, ImportRequest request, string path) =>
        _running = Task.Run(() => RunAsync(jobId, request, path, _stopping.Token));

    /// <summary>Completes when the run started last has finished (for tests and the server's stop).</summary>
    internal Task Running => _running;

    async Task RunAsync(long jobId, ImportRequest request, string path, CancellationToken ct)
    {
        var latest = new LatestProgress();
        using var beating = new CancellationTokenSource();
        var heartbeat = BeatAsync(jobId, latest, beating.Token);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var import = scope.ServiceProvider.GetRequiredService<CommentImport>();
            var changes = scope.ServiceProvider.GetRequiredService<ThreadChanges>();
            ImportSummary summary;
            await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            {
                summary = await import.RunAsync(request, file, latest, changes.PublishAsync, ct);
            }
            await FinishAsync(jobId, ImportJob.Succeeded, string.Join('\n', summary.Lines()), null, beating, heartbeat);
        }
        catch (ImportFileException e)
        {
            await FinishAsync(jobId, ImportJob.Failed, null, $"{e.Message}. Nothing was imported.", beating, heartbeat);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await FinishAsync(jobId, ImportJob.Failed, null,
                "The server stopped during the import. Import the same file again: it goes on where this one stopped, and nothing is imported twice.", beating, heartbeat);
        }
        catch (Exception e)
        {
            logger.LogError(e, "The import {Job} failed", jobId);
            await FinishAsync(jobId, ImportJob.Failed, null,
                "The import failed; the server's log says why. Import the same file again once that is mended: nothing is imported twice.", beating, heartbeat);
        }
        finally
        {
            File.Delete(path);
            _one.Release();
        }
    }

    /// <summary>Writes where the run is, every second, until it ends: the proof, too, that its node is still at it.</summary>
    async Task BeatAsync(long jobId, LatestProgress latest, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var now = latest.Current;
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

    async Task FinishAsync(long jobId, string status, string? summary, string? error, CancellationTokenSource beating, Task heartbeat)
    {
        await beating.CancelAsync();
        await heartbeat;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var now = clock.GetUtcNow().UtcDateTime;
            await scope.ServiceProvider.GetRequiredService<HearthDb>().ImportJobs.Where(j => j.Id == jobId)
                .ExecuteUpdateAsync(j => j.SetProperty(x => x.Status, status).SetProperty(x => x.Phase, status)
                    .SetProperty(x => x.Summary, summary).SetProperty(x => x.Error, error)
                    .SetProperty(x => x.UpdatedAt, now).SetProperty(x => x.FinishedAt, now), CancellationToken.None);
        }
        catch (Exception e)
        {
            // The row falls silent, and the page tells it stopped: the person imports the file again.
            logger.LogError(e, "Could not write how import {Job} ended ({Status})", jobId, status);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _running.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    sealed class LatestProgress : IProgress<ImportProgress>
    {
        ImportProgress _current = new("reading the file", 0, 0);

        public ImportProgress Current => Volatile.Read(ref _current);

        public void Report(ImportProgress value) => Volatile.Write(ref _current, value);
    }
}
