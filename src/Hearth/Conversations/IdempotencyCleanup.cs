using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hearth.Conversations;

/// <summary>Forgets stored answers to Idempotency-Keys once they can no longer be replayed, so the table stays small.</summary>
sealed class IdempotencyCleanup(IServiceScopeFactory scopes, Leases leases, TimeProvider clock, IOptions<HearthOptions> options,
    ILogger<IdempotencyCleanup> logger) : HourlyCleanup(scopes, leases, clock, logger)
{
    protected override string What => "expired idempotency records";

    protected override Task<int> RemoveAsync(HearthDb db, DateTime now, CancellationToken ct)
    {
        var cutoff = now - options.Value.IdempotencyWindow;
        return db.IdempotencyRecords.Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
    }
}
