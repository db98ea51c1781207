using Hearth.Storage;

namespace Hearth.GuestReplies;

/// <summary>
/// Mails replies to guests who confirmed, in the background from the threads' log, on one node at a time (a lease),
/// each round a bounded <see cref="GuestReplyRound"/>: posting a reply costs its writer nothing more.
/// </summary>
sealed class GuestReplyNotifier(IServiceScopeFactory scopes, Leases leases, TimeProvider clock, ILogger<GuestReplyNotifier> logger)
    : LeasedWork(leases, clock, logger)
{
    protected override string LeaseName => "notify:guests";

    protected override async Task RunAsync(CancellationToken ct)
    {
        while (await RoundAsync(ct) && await StillHeldAsync(ct))
        {
        }
    }

    async Task<bool> RoundAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GuestReplyRound>().RunAsync(ct);
    }
}
