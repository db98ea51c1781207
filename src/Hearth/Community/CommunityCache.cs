using System.Collections.Concurrent;

namespace Hearth.Community;

/// <summary>
/// The community lists and Explore, kept for <see cref="Freshness"/> on this node. Nothing here decides anything: every
/// node computes the same lists from the database, and a list is at most that many seconds behind it (a comment taken
/// down, an account deleted, a site turning its page off). Each entry is one site's (or Explore's), so memory is bounded
/// by the number of sites; the site is resolved before anything is cached, so a made-up name caches nothing.
/// </summary>
public sealed class CommunityCache(TimeProvider clock)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(10);

    readonly ConcurrentDictionary<string, (DateTimeOffset At, object Value)> _entries = new(StringComparer.Ordinal);

    public async Task<T> GetAsync<T>(string key, Func<Task<T>> load) where T : class
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && now - entry.At < Freshness && entry.Value is T kept)
        {
            return kept;
        }
        var value = await load();
        _entries[key] = (now, value);
        return value;
    }
}
