using Hearth.Live;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hearth.Portability;

/// <summary>
/// Runs the imports uploaded to this node in the background, one at a time (others wait their turn, and say so): the
/// file is on this node's disk, so this node runs it, and writes the run's progress to its <see cref="ImportJob"/>
/// every second for any node's page to show. Importing is idempotent, so a run stopped by a restart is resumed by
/// importing the same file again; what a dead run left (its file here, its staged rows) is swept
/// (<see cref="StoppedImportCleanup"/>, and this node's folder when it starts).
/// </summary>
public sealed class ImportRunner(IServiceScopeFactory scopes, TimeProvider clock, IOptions<HearthOptions> options, ILogger<ImportRunner> logger)
    : IHostedService
{
    /// <summary>Files being received at once on this node: a slow sender holds one of these, never the run.</summary>
    internal SemaphoreSlim Uploads { get; } = new(2, 2);

    /// <summary>The one run at a time on this node.</summary>
    internal SemaphoreSlim RunSlot { get; } = new(1, 1);

    readonly CancellationTokenSource _stopping = new();
    readonly List<Task> _running = [];

    public string Folder => Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "imports");

    /// <summary>Runs the import of the file at path (deleted afterwards) for the job, once this node's earlier runs are done.</summary>
    public void Start(long jobId, string runId, ImportRequest request, string path)
    {
        lock (_running)
        {
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(Task.Run(() => RunAsync(jobId, runId, request, path, _stopping.Token)));
        }
    }

    async Task RunAsync(long jobId, string runId, ImportRequest request, string path, CancellationToken ct)
    {
        var latest = new LatestProgress();
        using var beating = new CancellationTokenSource();
        var heartbeat = BeatAsync(jobId, latest, beating.Token);
        var (status, summary, error) = (ImportJob.Failed, (string?)null, (string?)null);
        var holding = false;
        try
        {
            await RunSlot.WaitAsync(ct);
            holding = true;
            latest.Report(new ImportProgress("reading", 0, 0));
            await using var scope = scopes.CreateAsyncScope();
            var import = scope.ServiceProvider.GetRequiredService<CommentImport>();
            var changes = scope.ServiceProvider.GetRequiredService<ThreadChanges>();
            await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            {
                var done = await import.RunAsync(request, file, latest, changes.PublishAsync, ct, runId);
                (status, summary) = (ImportJob.Succeeded, string.Join('\n', done.Lines()));
            }
        }
        catch (ImportFileException e)
        {
            error = $"{e.Message}. Nothing was imported.";
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            error = "The server stopped during the import. Import the same file again: it goes on where this one stopped, and nothing is imported twice.";
        }
        catch (Exception e)
        {
            logger.LogError(e, "The import {Job} failed", jobId);
            error = "The import failed; the server's log says why. Import the same file again once that is mended: nothing is imported twice.";
        }
        finally
        {
            await beating.CancelAsync();
            await heartbeat;
            try
            {
                File.Delete(path);
            }
            catch (IOException e)
            {
                logger.LogWarning("Could not delete the uploaded file {Path}: {Error}", path, e.Message);
            }
            finally
            {
                if (holding)
                {
                    RunSlot.Release();
                }
            }
        }
        await FinishAsync(jobId, status, summary, error);
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

    async Task FinishAsync(long jobId, string status, string? summary, string? error)
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

    /// <summary>Where the job's file is kept while it arrives and runs: named by its run, so a sweep can tell whose it is.</summary>
    public string PathFor(ImportJob job) => Path.Combine(PrivateFolder.Ensure(Folder).FullName, $"{job.RunId}.upload");

    /// <summary>
    /// Files left in the folder by runs that were under way when a node stopped. A file whose run is still going (on
    /// another node sharing this data folder) stays.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Folder))
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var silentSince = clock.GetUtcNow().UtcDateTime - ImportJob.Silence;
        foreach (var left in Directory.EnumerateFiles(Folder, "*.upload"))
        {
            var runId = Path.GetFileNameWithoutExtension(left);
            if (!await db.ImportJobs.AnyAsync(j => j.RunId == runId && (j.Status == ImportJob.Uploading || j.Status == ImportJob.Running)
                && j.UpdatedAt > silentSince, cancellationToken))
            {
                File.Delete(left);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        Task[] running;
        lock (_running)
        {
            running = [.. _running];
        }
        await Task.WhenAll(running).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    sealed class LatestProgress : IProgress<ImportProgress>
    {
        ImportProgress _current = new("waiting for another import on this server", 0, 0);

        public ImportProgress Current => Volatile.Read(ref _current);

        public void Report(ImportProgress value) => Volatile.Write(ref _current, value);
    }
}
