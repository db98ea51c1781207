using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Hearth.Conversations;

/// <summary>A thread page ready to send: the JSON bytes and their gzip and brotli forms, made once per change.</summary>
public sealed class CachedPage
{
    public required byte[] Json { get; init; }
    public required byte[] Gzip { get; init; }
    public required byte[] Brotli { get; init; }
    public required string ETag { get; init; }

    /// <summary>The empty page of an address nobody has commented on: never kept, so made-up addresses cost no memory.</summary>
    public bool ForMissingThread { get; init; }

    /// <summary>The thread and the place in its log the page was read at, so a node can tell the page is behind.</summary>
    public long? ThreadId { get; init; }
    public long Seq { get; init; }

    public static CachedPage From(byte[] json, bool forMissingThread = false, long? threadId = null, long seq = 0) => new()
    {
        ForMissingThread = forMissingThread,
        ThreadId = threadId,
        Seq = seq,
        Json = json,
        Gzip = Compress(json, s => new GZipStream(s, CompressionLevel.Optimal, leaveOpen: true)),
        Brotli = Compress(json, s => new BrotliStream(s, CompressionLevel.Optimal, leaveOpen: true)),
        ETag = "\"" + Convert.ToBase64String(SHA256.HashData(json), 0, 12) + "\"",
    };

    static byte[] Compress(byte[] data, Func<Stream, Stream> wrap)
    {
        using var output = new MemoryStream();
        using (var compressor = wrap(output))
        {
            compressor.Write(data);
        }
        return output.ToArray();
    }
}

/// <summary>
/// Thread pages served from memory while the thread is unchanged. Every entry of a thread hangs on one
/// cancellation token; a write to the thread cancels it, which drops all its pages (every sort, every cursor) at once.
/// A thread's version is kept only while pages hang on it or one is being built, so the memory a made-up address
/// (or any thread nobody reads any more) takes goes with its pages, and the pages are bounded by ThreadCacheBytes.
/// </summary>
public sealed class ThreadPageCache(IOptions<HearthOptions> options, Web.HearthMetrics? metrics = null) : IDisposable
{
    readonly MemoryCache _pages = new(new MemoryCacheOptions { SizeLimit = options.Value.ThreadCacheBytes });
    readonly ConcurrentDictionary<string, Version> _versions = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, (CancellationToken Version, Task<CachedPage> Build)> _building = new(StringComparer.Ordinal);

    /// <summary>One state of a thread, and how many cached pages and builds in flight still hang on it.</summary>
    sealed class Version
    {
        public readonly CancellationTokenSource Source = new();
        public int Holders;
        public long ThreadId = -1;
        /// <summary>The earliest place in the log any page of this version was read at.</summary>
        public long Seq = long.MaxValue;
    }

    public static string ThreadKey(long siteId, string addressKey) => siteId.ToString() + "|" + addressKey;

    /// <summary>The site of a <see cref="ThreadKey"/>; null for anything else.</summary>
    public static long? SiteOf(string threadKey) =>
        threadKey.IndexOf('|') is > 0 and var bar && long.TryParse(threadKey.AsSpan(0, bar), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var site) ? site : null;

    /// <summary>Threads whose version is held in memory.</summary>
    internal int TrackedThreads => _versions.Count;

    volatile bool _suspended;

    /// <summary>
    /// While the change bus is down this node cannot hear other nodes' writes: nothing is kept or served from memory until
    /// <see cref="Resume"/>. Pages built before are dropped, and so are builds in flight.
    /// </summary>
    public void Suspend()
    {
        _suspended = true;
        InvalidateAll();
    }

    /// <summary>The bus is back: start again from nothing, as writes made meanwhile were not heard.</summary>
    public void Resume()
    {
        InvalidateAll();
        _suspended = false;
    }

    public void InvalidateAll()
    {
        foreach (var key in _versions.Keys)
        {
            Invalidate(key);
        }
    }

    /// <summary>Threads with pages in memory, with the place in the log their oldest page was read at.</summary>
    internal List<(string Key, long ThreadId, long Seq)> Cached()
    {
        var cached = new List<(string, long, long)>();
        foreach (var (key, version) in _versions)
        {
            lock (version)
            {
                if (version.ThreadId >= 0 && !version.Source.IsCancellationRequested)
                {
                    cached.Add((key, version.ThreadId, version.Seq));
                }
            }
        }
        return cached;
    }

    public bool TryGet(string threadKey, string variant, out CachedPage page)
    {
        if (!_suspended && _pages.TryGetValue(threadKey + "|" + variant, out var cached) && cached is CachedPage found)
        {
            metrics?.CacheHit();
            page = found;
            return true;
        }
        page = null!;
        return false;
    }

    /// <summary>
    /// Taken before reading the database: if a write lands while the page is built, the entry is born expired
    /// instead of serving stale data until the next write.
    /// </summary>
    Version Hold(string threadKey)
    {
        while (true)
        {
            var version = _versions.GetOrAdd(threadKey, _ => new Version());
            Interlocked.Increment(ref version.Holders);
            if (!version.Source.IsCancellationRequested)
            {
                return version;
            }
            // Forgotten between the lookup and the hold: take the thread's next version instead.
            Release(threadKey, version);
        }
    }

    /// <summary>The last page or build let go of a version: forget it, cancelling it so nothing can still hang on it.</summary>
    void Release(string threadKey, Version version)
    {
        if (Interlocked.Decrement(ref version.Holders) == 0 && _versions.TryRemove(KeyValuePair.Create(threadKey, version)))
        {
            version.Source.Cancel();
        }
    }

    void Store(string threadKey, string variant, Version version, CachedPage page)
    {
        Interlocked.Increment(ref version.Holders);
        lock (version)
        {
            version.ThreadId = page.ThreadId ?? -1;
            version.Seq = Math.Min(version.Seq, page.Seq);
        }
        var entryOptions = new MemoryCacheEntryOptions { Size = page.Json.Length + page.Gzip.Length + page.Brotli.Length + 256 };
        entryOptions.AddExpirationToken(new CancellationChangeToken(version.Source.Token));
        // A page of a past badge window is never asked for again (People.EarnedBadges): it leaves instead of waiting for room.
        entryOptions.AbsoluteExpirationRelativeToNow = 2 * People.EarnedBadges.Lag;
        // Called once for every entry, however it leaves: dropped by a write, pushed out for room, replaced.
        entryOptions.RegisterPostEvictionCallback((_, _, _, _) => Release(threadKey, version));
        _pages.Set(threadKey + "|" + variant, page, entryOptions);
    }

    /// <summary>
    /// The cached page, or one built now. Readers who miss together share one build of the same version, so a write
    /// to a busy thread costs one database read and one compression, not one per reader waiting at that moment.
    /// </summary>
    public async Task<CachedPage> GetOrBuildAsync(string threadKey, string variant, Func<Task<CachedPage>> build)
    {
        if (TryGet(threadKey, variant, out var cached))
        {
            return cached;
        }
        var held = Hold(threadKey);
        try
        {
            var version = held.Source.Token;
            var key = threadKey + "|" + variant;
            var mine = new TaskCompletionSource<CachedPage>(TaskCreationOptions.RunContinuationsAsynchronously);
            var entry = (version, mine.Task);
            var current = _building.AddOrUpdate(key, entry, (_, running) => running.Version == version && !running.Build.IsCompleted ? running : entry);
            if (current.Build != mine.Task)
            {
                return await current.Build;
            }
            try
            {
                metrics?.CacheMiss();
                var page = await build();
                // The empty page of an address nobody has commented on is never kept: made-up addresses cost nothing.
                if (!page.ForMissingThread && !_suspended)
                {
                    Store(threadKey, variant, held, page);
                }
                mine.SetResult(page);
                return page;
            }
            catch (Exception e)
            {
                mine.SetException(e);
                throw;
            }
            finally
            {
                _building.TryRemove(KeyValuePair.Create(key, entry));
            }
        }
        finally
        {
            Release(threadKey, held);
        }
    }

    public void Invalidate(string threadKey)
    {
        if (_versions.TryRemove(threadKey, out var version))
        {
            // Not disposed: a reader may still be registering on its token, and the source holds no unmanaged state.
            version.Source.Cancel();
        }
    }

    public void Dispose() => _pages.Dispose();
}
