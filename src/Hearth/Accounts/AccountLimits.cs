using System.Threading.RateLimiting;
using Hearth.Storage;

namespace Hearth.Accounts;

/// <summary>
/// Sign-in, sign-up and reset attempts per e-mail address (hashed), on top of the per-client limit: guessing one
/// person's password from many addresses, or flooding one inbox with links, is cut off after a few tries.
/// </summary>
public sealed class AccountLimits(InstanceKey keys, IConfiguration configuration) : IDisposable
{
    readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetSlidingWindowLimiter(address, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = configuration.GetValue("Hearth:RateLimits:AccountAttemptsPerAddress", 10),
            Window = TimeSpan.FromMinutes(15),
            SegmentsPerWindow = 5,
            QueueLimit = 0,
        }));

    public bool TryAttempt(string action, string email)
    {
        using var lease = _limiter.AttemptAcquire(action + "|" + keys.Hash("account-address", email.Trim().ToUpperInvariant()));
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
