using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hearth.Portability;

/// <summary>
/// What an import leaves when its node or its command dies under it: the job, silent, is marked failed; the rows it had
/// staged are removed, a bounded piece each round, and on SQLite its staging file (a finished run removes its own as
/// it ends).
/// </summary>
sealed class StoppedImportCleanup(IServiceScopeFactory scopes, Leases leases, TimeProvider clock, IOptions<HearthOptions> options,
    ILogger<StoppedImportCleanup> logger)
    : HourlyCleanup(scopes, leases, clock, logger)
{
    protected override string What => "rows and files staged by stopped imports";

    protected override Task<int> RemoveAsync(HearthDb db, DateTime now, CancellationToken ct) =>
        SweepAsync(db, now, ct, ImportRunner.FolderIn(options.Value));

    /// <param name="folder">The imports folder whose staging files to sweep (SQLite); none when null.</param>
    internal static async Task<int> SweepAsync(HearthDb db, DateTime now, CancellationToken ct, string? folder = null)
    {
        await ImportUploads.MarkStoppedAsync(db, null, now, ct);
        var ended = db.ImportJobs.Where(j => j.Status != ImportJob.Uploading && j.Status != ImportJob.Running).Select(j => j.RunId);
        var removed = 0;
        for (var round = 0; round < 50; round++)
        {
            var piece = db.ImportRows.Where(r => ended.Contains(r.RunId)).OrderBy(r => r.Id).Select(r => r.Id).Take(20_000);
            var gone = await db.ImportRows.Where(r => piece.Contains(r.Id)).ExecuteDeleteAsync(ct);
            removed += gone;
            if (gone == 0)
            {
                break;
            }
        }
        if (folder is not null && !db.Database.IsNpgsql())
        {
            // Every run still going has its job marked as such: the command's as well as the upload's.
            var live = await db.ImportJobs.Where(j => j.Status == ImportJob.Uploading || j.Status == ImportJob.Running)
                .Select(j => j.RunId).ToListAsync(ct);
            removed += StagingArea.Sweep(folder, live.ToHashSet(StringComparer.Ordinal));
        }
        return removed;
    }
}
