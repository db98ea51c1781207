using System.Threading.RateLimiting;
using RedisRateLimiting;
using StackExchange.Redis;

namespace Hearth.Web;

/// <summary>
/// A client's window counted in Redis, so every node of the instance spends the same permits. When Redis cannot be
/// reached the node's own window counts instead: each node then allows the limit on its own, rather than none or all.
/// </summary>
sealed class SharedRateLimiter(RateLimiter shared, RateLimiter local) : RateLimiter
{
    public static RateLimitPartition<string> Partition(RedisConnection redis, string key, int permits, TimeSpan window) =>
        RateLimitPartition.Get(key, k => new SharedRateLimiter(
            RedisRateLimitPartition.GetSlidingWindowRateLimiter(k, _ => new RedisSlidingWindowRateLimiterOptions
            {
                ConnectionMultiplexerFactory = () => redis.Connection,
                PermitLimit = permits,
                Window = window,
            }).Factory(k),
            new SlidingWindowRateLimiter(RateLimits.SlidingWindow(permits, window))));

    public override TimeSpan? IdleDuration => local.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => local.GetStatistics();

    /// <summary>Redis is not asked synchronously: saying "not yet" sends the caller (the rate limiting middleware) to the async path.</summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => NotYet.Lease;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        try
        {
            return await shared.AcquireAsync(permitCount, cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return local.AttemptAcquire(permitCount);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            shared.Dispose();
            local.Dispose();
        }
        base.Dispose(disposing);
    }
}

sealed class NotYet : RateLimitLease
{
    public static readonly NotYet Lease = new();

    public override bool IsAcquired => false;

    public override IEnumerable<string> MetadataNames => [];

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = null;
        return false;
    }
}
