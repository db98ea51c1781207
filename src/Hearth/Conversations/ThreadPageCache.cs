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

    public static CachedPage From(byte[] json, bool forMissingThread = false) => new()
    {
        ForMissingThread = forMissingThread,
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
/// </summary>
public sealed class ThreadPageCache(IOptions<HearthOptions> options) : IDisposable
{
    readonly MemoryCache _pages = new(new MemoryCacheOptions { SizeLimit = options.Value.ThreadCacheBytes });
    readonly ConcurrentDictionary<string, CancellationTokenSource> _versions = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, (CancellationToken Version, Task<CachedPage> Build)> _building = new(StringComparer.Ordinal);

    public static string ThreadKey(long siteId, string addressKey) => siteId.ToString() + "|" + addressKey;

    public bool TryGet(string threadKey, string variant, out CachedPage page)
    {
        if (_pages.TryGetValue(threadKey + "|" + variant, out var cached) && cached is CachedPage found)
        {
            page = found;
            return true;
        }
        page = null!;
        return false;
    }

    /// <summary>
    /// Take the thread's version before reading the database: if a write lands while the page is built,
    /// the entry is born expired instead of serving stale data until the next write.
    /// </summary>
    public CancellationToken CurrentVersion(string threadKey) => VersionOf(threadKey).Token;

    CancellationTokenSource VersionOf(string threadKey) => _versions.GetOrAdd(threadKey, _ => new CancellationTokenSource());

    public void Store(string threadKey, string variant, CancellationToken version, CachedPage page)
    {
        var entryOptions = new MemoryCacheEntryOptions { Size = page.Json.Length + page.Gzip.Length + page.Brotli.Length + 256 };
        entryOptions.AddExpirationToken(new CancellationChangeToken(version));
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
        var source = VersionOf(threadKey);
        var version = source.Token;
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
            var page = await build();
            if (page.ForMissingThread)
            {
                _versions.TryRemove(KeyValuePair.Create(threadKey, source));
            }
            else
            {
                Store(threadKey, variant, version, page);
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

    public void Invalidate(string threadKey)
    {
        if (_versions.TryRemove(threadKey, out var version))
        {
            // Not disposed: a reader may still be registering on its token, and the source holds no unmanaged state.
            version.Cancel();
        }
    }

    public void Dispose() => _pages.Dispose();
}
