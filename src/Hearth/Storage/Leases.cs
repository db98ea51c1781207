using Microsoft.EntityFrameworkCore;

namespace Hearth.Storage;

/// <summary>
/// Takes and renews leases with one statement each, so two nodes asking at once cannot both get one. Times come from
/// each node's clock: nodes must keep their clocks in step (NTP), within a small part of <see cref="Period"/>.
/// </summary>
public sealed class Leases(IServiceScopeFactory scopes, TimeProvider clock)
{
    /// <summary>How long a lease lasts unless renewed; a dead holder's work resumes elsewhere within this.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(30);

    /// <summary>How often holders renew and others ask: three times per period, so one missed round loses nothing.</summary>
    public static readonly TimeSpan Renewal = Period / 3;

    /// <summary>This node, as the Leases table names it: the machine, the process and a random part for two hosts in one process.</summary>
    public string Holder { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>True when this node holds the lease until now + <see cref="Period"/>: it was free, expired, or already ours.</summary>
    public async Task<bool> TryTakeAsync(string name, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now + Period;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var holder = Holder;
        var taken = await db.Set<Lease>()
            .Where(l => l.Name == name && (l.Holder == holder || l.ExpiresAt <= now))
            .ExecuteUpdateAsync(l => l.SetProperty(x => x.Holder, holder).SetProperty(x => x.ExpiresAt, until), ct);
        if (taken == 1)
        {
            return true;
        }
        // No row yet (a new instance, or a new kind of work): the first insert wins, a second fails on the key.
        if (await db.Set<Lease>().AnyAsync(l => l.Name == name, ct))
        {
            return false;
        }
        db.Add(new Lease { Name = name, Holder = holder, ExpiresAt = until });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
    }

    /// <summary>Lets the lease go at once (a node stopping in order), so another takes over without waiting for it to expire.</summary>
    public async Task ReleaseAsync(string name, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var holder = Holder;
        await scope.ServiceProvider.GetRequiredService<HearthDb>().Set<Lease>()
            .Where(l => l.Name == name && l.Holder == holder)
            .ExecuteUpdateAsync(l => l.SetProperty(x => x.ExpiresAt, now), ct);
    }
}
