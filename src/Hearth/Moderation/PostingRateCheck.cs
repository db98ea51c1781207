using System.Threading.RateLimiting;
using Hearth.Web;
using Microsoft.Extensions.Options;

namespace Hearth.Moderation;

/// <summary>
/// Limits the address-keyed policy cannot see, because they depend on the body: how fast one author (a member's
/// account, or a guest's name and e-mail) posts anywhere on a site, and how fast a single thread takes comments
/// from everyone at once. With Redis (several nodes) every node spends the same permits, counted there; without it,
/// or while Redis is away, each node counts in its own memory.
/// </summary>
public sealed class PostingRateCheck : ICommentCheck, IDisposable
{
    readonly PartitionedRateLimiter<string> _authors;
    readonly PartitionedRateLimiter<string> _threads;
    readonly PartitionedRateLimiter<string> _addressesOnThreads;

    public PostingRateCheck(IOptions<HearthOptions> options, RedisConnection? redis = null)
    {
        var limits = options.Value.RateLimits;
        var shared = redis is { Configured: true } ? redis : null;
        _authors = PerMinute(limits.CommentsPerAuthorPerMinute, "author", shared);
        _threads = PerMinute(limits.CommentsPerThreadPerMinute, "thread", shared);
        _addressesOnThreads = PerMinute(limits.CommentsPerAddressOnThreadPerMinute, "address", shared);
    }

    public async ValueTask<CheckOutcome?> RunAsync(CommentDraft draft, CancellationToken ct)
    {
        // The site's own team answers floods; it is never slowed by them.
        if (draft.Member is { } member && (member.IsAdmin || member.Role is not null))
        {
            return null;
        }
        var site = draft.Site.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var thread = site + "|" + draft.ThreadKey;
        // One address's share of a thread is charged before the thread's whole budget, so a few addresses cannot
        // spend that budget and close the page to everyone else.
        return await RefusedAsync(_authors, site + "|" + draft.Author.Key, "You are posting faster than this site allows.", ct)
            ?? await RefusedAsync(_addressesOnThreads, thread + "|" + draft.IpHash, "You are posting to this conversation faster than it allows.", ct)
            ?? await RefusedAsync(_threads, thread, "This conversation is taking many comments at once.", ct);
    }

    static async ValueTask<Refuse?> RefusedAsync(PartitionedRateLimiter<string> limiter, string key, string why, CancellationToken ct)
    {
        // Nothing queues (the windows take no queue): a limiter in memory answers at once, a shared one after Redis does.
        using var lease = await limiter.AcquireAsync(key, 1, ct);
        if (lease.IsAcquired)
        {
            return null;
        }
        var seconds = RateLimits.SecondsToWait(lease, Window);
        return new Refuse(StatusCodes.Status429TooManyRequests, "rate_limited",
            $"{why} Please wait {seconds} seconds and try again.", TimeSpan.FromSeconds(seconds));
    }

    static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    static PartitionedRateLimiter<string> PerMinute(int permits, string kind, RedisConnection? redis) =>
        PartitionedRateLimiter.Create<string, string>(key => redis is null
            ? RateLimitPartition.GetSlidingWindowLimiter(key, _ => RateLimits.SlidingWindow(permits, Window))
            : SharedRateLimiter.Partition(redis, $"hearth:pace:{kind}:{key}", permits, Window));

    public void Dispose()
    {
        _authors.Dispose();
        _threads.Dispose();
        _addressesOnThreads.Dispose();
    }
}
