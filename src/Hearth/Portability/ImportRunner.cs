using Hearth.Live;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hearth.Portability;

/// <summary>
/// Runs the imports uploaded to this node in the background, one at a time (others wait their turn, and say so): the
/// file is on this node's disk, so this node runs it, and writes the run's progress to its <see cref="ImportJob"/>
/// every second for any node's page to show. Importing is idempotent, so a run stopped by a restart is resumed by
/// importing the same file again; what a dead run left (its file here, its staged rows and their file) is swept
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

    public string Folder => FolderIn(options.Value);

    /// <summary>The node's folder for uploaded files and for the runs' staged rows (<see cref="StagingArea"/>).</summary>
    public static string FolderIn(HearthOptions options) => Path.Combine(Path.GetFullPath(options.DataDirectory), "imports");

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
        var latest = new ImportJobBeat(scopes, clock, logger, jobId);
        using var beating = new CancellationTokenSource();
        var heartbeat = latest.BeatAsync(beating.Token);
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
        await latest.FinishAsync(status, summary, error);
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
        var live = (await db.ImportJobs.Where(j => (j.Status == ImportJob.Uploading || j.Status == ImportJob.Running) && j.UpdatedAt > silentSince)
            .Select(j => j.RunId).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        try
        {
            foreach (var left in Directory.EnumerateFiles(Folder, "*.upload"))
            {
                if (!live.Contains(Path.GetFileNameWithoutExtension(left)))
                {
                    File.Delete(left);
                }
            }
            StagingArea.Sweep(Folder, live);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A folder or file this account may not touch (a command run as another account made it): the server starts
            // all the same, and says what to mend; the hourly sweep tries the staging files again.
            logger.LogWarning("Could not clear what stopped imports left in {Folder}: {Error}", Folder, e.Message);
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
}
