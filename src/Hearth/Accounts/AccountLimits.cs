using System.Threading.RateLimiting;
using Hearth.Storage;
using Hearth.Web;

namespace Hearth.Accounts;

/// <summary>
/// Sign-in, sign-up and reset attempts per e-mail address (hashed), on top of the per-client limit: guessing one
/// person's password from many addresses, or flooding one inbox with links, is cut off after a few tries. Messages that
/// someone else asks Hearth to send to an address nobody has proven (sign-up links, claim links) are counted per
/// inbox as well, over a day. Both count by a keyed hash of the address: no address is kept for limiting.
/// With Redis (several nodes) every node spends the same permits, counted there, so trying on each node in turn buys
/// nothing; without it, or while Redis is away, each node counts in its own memory.
/// </summary>
public sealed class AccountLimits : IDisposable
{
    readonly InstanceKey _keys;
    readonly PartitionedRateLimiter<string> _limiter;
    readonly PartitionedRateLimiter<string> _mail;

    public AccountLimits(InstanceKey keys, IConfiguration configuration, RedisConnection? redis = null)
    {
        _keys = keys;
        var shared = redis is { Configured: true } ? redis : null;
        _limiter = Limiter(configuration.GetValue("Hearth:RateLimits:AccountAttemptsPerAddress", 10), TimeSpan.FromMinutes(15), 5, "attempts", shared);
        _mail = Limiter(configuration.GetValue("Hearth:RateLimits:MailsPerAddressPerDay", 5), TimeSpan.FromDays(1), 24, "mails", shared);
    }

    public ValueTask<bool> TryAttemptAsync(string action, string email, CancellationToken ct) => TryAsync(_limiter, action + "|" + Key(email), ct);

    /// <summary>One more message to an address its owner has not proven to Hearth, if that inbox has not had its share today.</summary>
    public ValueTask<bool> TryMailAsync(string email, CancellationToken ct) => TryAsync(_mail, Key(email), ct);

    static async ValueTask<bool> TryAsync(PartitionedRateLimiter<string> limiter, string key, CancellationToken ct)
    {
        // Nothing queues: a limiter in memory answers at once, a shared one after Redis does.
        using var lease = await limiter.AcquireAsync(key, 1, ct);
        return lease.IsAcquired;
    }

    string Key(string email) => _keys.Hash("account-address", email.Trim().ToUpperInvariant());

    static PartitionedRateLimiter<string> Limiter(int permits, TimeSpan window, int segments, string kind, RedisConnection? redis) =>
        PartitionedRateLimiter.Create<string, string>(key => redis is null
            ? RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = window,
                SegmentsPerWindow = segments,
                QueueLimit = 0,
            })
            : SharedRateLimiter.Partition(redis, $"hearth:account:{kind}:{key}", permits, window));

    public void Dispose()
    {
        _limiter.Dispose();
        _mail.Dispose();
    }
}
