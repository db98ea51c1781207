using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Portability;

/// <summary>
/// What an import from the browser leaves when its node dies under it: the job, silent, is marked failed; the rows it
/// had staged are removed, a bounded piece each round (a finished run removes its own as it ends).
/// </summary>
sealed class StoppedImportCleanup(IServiceScopeFactory scopes, Leases leases, TimeProvider clock, ILogger<StoppedImportCleanup> logger)
    : HourlyCleanup(scopes, leases, clock, logger)
{
    protected override string What => "rows staged by stopped imports";

    protected override Task<int> RemoveAsync(HearthDb db, DateTime now, CancellationToken ct) => SweepAsync(db, now, ct);

    internal static async Task<int> SweepAsync(HearthDb db, DateTime now, CancellationToken ct)
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
        return removed;
    }
}
