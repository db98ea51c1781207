using System.Collections.Concurrent;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Sites;

/// <summary>
/// Sites looked up by name on every request, kept in memory. Entries expire after a short time
/// because the CLI changes sites from another process.
/// </summary>
public sealed class SiteDirectory(IServiceScopeFactory scopes, TimeProvider clock)
{
    static readonly TimeSpan Freshness = TimeSpan.FromSeconds(10);
    readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    sealed record Entry(Site? Site, HashSet<string> Origins, DateTime LoadedAt);

    public async ValueTask<Site?> FindAsync(string name, CancellationToken ct = default)
    {
        var entry = await GetEntryAsync(name, ct);
        return entry.Site;
    }

    public async ValueTask<bool> AllowsOriginAsync(string name, string origin, CancellationToken ct = default)
    {
        var entry = await GetEntryAsync(name, ct);
        return entry.Site is not null && entry.Origins.Contains(origin);
    }

    public async ValueTask<IReadOnlyCollection<string>> OriginsAsync(string name, CancellationToken ct = default)
    {
        var entry = await GetEntryAsync(name, ct);
        return entry.Origins;
    }

    public void Forget(string name) => _entries.TryRemove(name, out _);

    async ValueTask<Entry> GetEntryAsync(string name, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_entries.TryGetValue(name, out var cached) && now - cached.LoadedAt < Freshness)
        {
            return cached;
        }
        if (!Site.IsValidName(name))
        {
            return new Entry(null, [], now);
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var site = await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, ct);
        var entry = new Entry(site, new HashSet<string>(site?.Origins ?? [], StringComparer.OrdinalIgnoreCase), now);
        _entries[name] = entry;
        return entry;
    }
}
