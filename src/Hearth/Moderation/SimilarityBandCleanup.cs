using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Moderation;

/// <summary>Fingerprints older than the spam-run window compare with nothing any more.</summary>
sealed class SimilarityBandCleanup(IServiceScopeFactory scopes, Leases leases, TimeProvider clock, ILogger<SimilarityBandCleanup> logger)
    : HourlyCleanup(scopes, leases, clock, logger)
{
    protected override string What => "comment fingerprints older than a day";

    protected override async Task<int> RemoveAsync(HearthDb db, DateTime now, CancellationToken ct)
    {
        var cutoff = now - NearDuplicates.Window;
        await db.Set<SimilarityKey>().Where(k => k.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
        return await db.Set<SimilarityBand>().Where(b => b.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
    }
}
