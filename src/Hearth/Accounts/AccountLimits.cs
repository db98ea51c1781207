using System.Threading.RateLimiting;
using Hearth.Storage;

namespace Hearth.Accounts;

/// <summary>
/// Sign-in, sign-up and reset attempts per e-mail address (hashed), on top of the per-client limit: guessing one
/// person's password from many addresses, or flooding one inbox with links, is cut off after a few tries. Messages that
/// someone else asks Hearth to send to an address nobody has proven (sign-up links, claim links) are counted per
/// inbox as well, over a day. Both count by a keyed hash of the address: no address is kept for limiting.
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

    readonly PartitionedRateLimiter<string> _mail = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetSlidingWindowLimiter(address, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = configuration.GetValue("Hearth:RateLimits:MailsPerAddressPerDay", 5),
            Window = TimeSpan.FromDays(1),
            SegmentsPerWindow = 24,
            QueueLimit = 0,
        }));

    public bool TryAttempt(string action, string email)
    {
        using var lease = _limiter.AttemptAcquire(action + "|" + Key(email));
        return lease.IsAcquired;
    }

    /// <summary>One more message to an address its owner has not proven to Hearth, if that inbox has not had its share today.</summary>
    public bool TryMail(string email)
    {
        using var lease = _mail.AttemptAcquire(Key(email));
        return lease.IsAcquired;
    }

    string Key(string email) => keys.Hash("account-address", email.Trim().ToUpperInvariant());

    public void Dispose()
    {
        _limiter.Dispose();
        _mail.Dispose();
    }
}
