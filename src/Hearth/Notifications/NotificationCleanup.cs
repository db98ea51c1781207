using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hearth.Notifications;

/// <summary>
/// Notifications older than Hearth:NotificationsKeptFor leave the inbox, read or not, so the table does not grow for
/// ever with every reply and followed comment of the instance's life. Removed a slice at a time, each slice its own
/// short write: a first round after years of notifications must not hold the database's write lock for minutes.
/// </summary>
sealed class NotificationCleanup(IServiceScopeFactory scopes, Leases leases, TimeProvider clock, IOptions<HearthOptions> options,
    ILogger<NotificationCleanup> logger) : HourlyCleanup(scopes, leases, clock, logger)
{
    const int Slice = 5_000;

    /// <summary>The most one round removes; what is left goes in the next rounds.</summary>
    const int MostPerRound = 200_000;

    protected override string What => "notifications past their time in the inbox";

    protected override async Task<int> RemoveAsync(HearthDb db, DateTime now, CancellationToken ct)
    {
        var cutoff = now - options.Value.NotificationsKeptFor;
        var removed = 0;
        while (removed < MostPerRound)
        {
            var slice = await db.Notifications.Where(n => n.CreatedAt < cutoff).OrderBy(n => n.CreatedAt).Take(Slice)
                .ExecuteDeleteAsync(ct);
            removed += slice;
            if (slice < Slice)
            {
                break;
            }
        }
        return removed;
    }
}
