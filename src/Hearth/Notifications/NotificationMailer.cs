using Hearth.Storage;

namespace Hearth.Notifications;

/// <summary>
/// Turns notifications into e-mail in the background, on one node at a time (a lease), each round a bounded
/// <see cref="NotificationMailRound"/>. Single messages go out within a renewal of the notification; hourly and daily
/// digests at the first round after the hour or midnight UTC.
/// </summary>
sealed class NotificationMailer(IServiceScopeFactory scopes, Leases leases, TimeProvider clock, ILogger<NotificationMailer> logger)
    : LeasedWork(leases, clock, logger)
{
    protected override string LeaseName => "notify:mail";

    protected override async Task RunAsync(CancellationToken ct)
    {
        while (await RoundAsync(ct) && await StillHeldAsync(ct))
        {
        }
    }

    async Task<bool> RoundAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NotificationMailRound>().RunAsync(ct);
    }
}
