using System.Collections.Concurrent;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Sites;

/// <summary>
/// Sites looked up by name on every request, kept in memory. Entries expire after a short time
/// because the CLI changes sites from another process. Names that are not sites are remembered too, so a
/// misconfigured embed does not query the database on every request, but only up to a fixed number of them:
/// anyone can ask for made-up names, and those must not grow memory without bound. While the database cannot be
/// reached, a site already known stays as it was.
/// </summary>
public sealed class SiteDirectory(IServiceScopeFactory scopes, TimeProvider clock)
{
    static readonly TimeSpan Freshness = TimeSpan.FromSeconds(10);

    /// <summary>Names known not to be sites, kept at most; past that, a miss is simply looked up again.</summary>
    internal const int MaxMissing = 1000;

    readonly ConcurrentDictionary<string, Entry> _sites = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, DateTime> _missing = new(StringComparer.Ordinal);
    long _lastSweepTicks;

    sealed record Entry(Site? Site, HashSet<string> Origins, DateTime LoadedAt);

    static readonly HashSet<string> NoOrigins = [];

    /// <summary>Names held in memory, sites and misses together.</summary>
    internal int Count => _sites.Count + _missing.Count;

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

    public void Forget(string name)
    {
        _sites.TryRemove(name, out _);
        _missing.TryRemove(name, out _);
    }

    async ValueTask<Entry> GetEntryAsync(string name, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_sites.TryGetValue(name, out var cached) && now - cached.LoadedAt < Freshness)
        {
            return cached;
        }
        if (_missing.TryGetValue(name, out var missedAt) && now - missedAt < Freshness)
        {
            return new Entry(null, NoOrigins, missedAt);
        }
        if (!Site.IsValidName(name))
        {
            return new Entry(null, NoOrigins, now);
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        Site? site;
        try
        {
            site = await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, ct);
        }
        catch (Exception e) when (cached is not null && Web.DatabaseUnavailableHandler.Cause(e) is not null)
        {
            // The database is away: a site known a moment ago is still that site, so pages held in memory go on being
            // served. Asked again after another while, not at every request.
            var kept = cached with { LoadedAt = now };
            _sites[name] = kept;
            return kept;
        }
        if (site is null)
        {
            _sites.TryRemove(name, out _);
            RememberMissing(name, now);
            return new Entry(null, NoOrigins, now);
        }
        _missing.TryRemove(name, out _);
        var entry = new Entry(site, new HashSet<string>(site.Origins, StringComparer.OrdinalIgnoreCase), now);
        _sites[name] = entry;
        return entry;
    }

    void RememberMissing(string name, DateTime now)
    {
        if (_missing.Count >= MaxMissing)
        {
            // Full: make room from what has gone stale, at most once per freshness period so a flood of made-up
            // names does not walk the list on every request; until there is room, misses are not kept.
            var lastSweep = new DateTime(Interlocked.Read(ref _lastSweepTicks), DateTimeKind.Utc);
            if (now - lastSweep < Freshness || Interlocked.CompareExchange(ref _lastSweepTicks, now.Ticks, lastSweep.Ticks) != lastSweep.Ticks)
            {
                return;
            }
            foreach (var (missed, at) in _missing)
            {
                if (now - at >= Freshness)
                {
                    _missing.TryRemove(KeyValuePair.Create(missed, at));
                }
            }
            if (_missing.Count >= MaxMissing)
            {
                return;
            }
        }
        _missing[name] = now;
    }
}
