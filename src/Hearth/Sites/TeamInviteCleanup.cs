using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Sites;

/// <summary>Forgets invitations nobody accepted in time: they hold the addresses of people who never said yes.</summary>
sealed class TeamInviteCleanup(IServiceScopeFactory scopes, Leases leases, TimeProvider clock, ILogger<TeamInviteCleanup> logger)
    : HourlyCleanup(scopes, leases, clock, logger)
{
    protected override string What => "expired team invitations";

    protected override Task<int> RemoveAsync(HearthDb db, DateTime now, CancellationToken ct) => ForgetAsync(db, now, ct);

    internal static Task<int> ForgetAsync(HearthDb db, DateTime now, CancellationToken ct) =>
        db.TeamInvites.Where(i => i.ExpiresAt < now).ExecuteDeleteAsync(ct);
}
