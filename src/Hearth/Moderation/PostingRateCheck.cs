using System.Threading.RateLimiting;
using Hearth.Web;
using Microsoft.Extensions.Options;

namespace Hearth.Moderation;

/// <summary>
/// Limits the address-keyed policy cannot see, because they depend on the body: how fast one author (a member's
/// account, or a guest's name and e-mail) posts anywhere on a site, and how fast a single thread takes comments
/// from everyone at once. The limiters live in memory; with several servers each enforces its own share.
/// </summary>
public sealed class PostingRateCheck : ICommentCheck, IDisposable
{
    readonly PartitionedRateLimiter<string> _authors;
    readonly PartitionedRateLimiter<string> _threads;
    readonly PartitionedRateLimiter<string> _addressesOnThreads;

    public PostingRateCheck(IOptions<HearthOptions> options)
    {
        var limits = options.Value.RateLimits;
        _authors = PerMinute(limits.CommentsPerAuthorPerMinute);
        _threads = PerMinute(limits.CommentsPerThreadPerMinute);
        _addressesOnThreads = PerMinute(limits.CommentsPerAddressOnThreadPerMinute);
    }

    public ValueTask<CheckOutcome?> RunAsync(CommentDraft draft, CancellationToken ct)
    {
        // The site's own team answers floods; it is never slowed by them.
        if (draft.Member is { } member && (member.IsAdmin || member.Role is not null))
        {
            return ValueTask.FromResult<CheckOutcome?>(null);
        }
        var site = draft.Site.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var thread = site + "|" + draft.ThreadKey;
        // One address's share of a thread is charged before the thread's whole budget, so a few addresses cannot
        // spend that budget and close the page to everyone else.
        var outcome = Refused(_authors, site + "|" + draft.Author.Key, "You are posting faster than this site allows.")
            ?? Refused(_addressesOnThreads, thread + "|" + draft.IpHash, "You are posting to this conversation faster than it allows.")
            ?? Refused(_threads, thread, "This conversation is taking many comments at once.");
        return ValueTask.FromResult<CheckOutcome?>(outcome);
    }

    static Refuse? Refused(PartitionedRateLimiter<string> limiter, string key, string why)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return null;
        }
        var seconds = RateLimits.SecondsToWait(lease, Window);
        return new Refuse(StatusCodes.Status429TooManyRequests, "rate_limited",
            $"{why} Please wait {seconds} seconds and try again.", TimeSpan.FromSeconds(seconds));
    }

    static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    static PartitionedRateLimiter<string> PerMinute(int permits) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(key, _ => RateLimits.SlidingWindow(permits, Window)));

    public void Dispose()
    {
        _authors.Dispose();
        _threads.Dispose();
        _addressesOnThreads.Dispose();
    }
}
