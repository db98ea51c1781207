using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Identity;

/// <summary>Forgets sessions that have ended, so the table holds only sessions someone can still use.</summary>
sealed class SessionCleanup(IServiceScopeFactory scopes, Leases leases, TimeProvider clock, ILogger<SessionCleanup> logger)
    : HourlyCleanup(scopes, leases, clock, logger)
{
    protected override string What => "ended sessions";

    protected override Task<int> RemoveAsync(HearthDb db, DateTime now, CancellationToken ct) =>
        db.MemberSessions.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync(ct);
}
