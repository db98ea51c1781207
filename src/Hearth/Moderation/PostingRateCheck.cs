using System.Threading.RateLimiting;
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

    public PostingRateCheck(IOptions<HearthOptions> options)
    {
        var limits = options.Value.RateLimits;
        _authors = PerMinute(limits.CommentsPerAuthorPerMinute);
        _threads = PerMinute(limits.CommentsPerThreadPerMinute);
    }

    public ValueTask<CheckOutcome?> RunAsync(CommentDraft draft, CancellationToken ct)
    {
        var site = draft.Site.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Refused(_authors, site + "|" + draft.Author.Key, "You are posting faster than this site allows.") is { } author)
        {
            return ValueTask.FromResult<CheckOutcome?>(author);
        }
        return ValueTask.FromResult<CheckOutcome?>(
            Refused(_threads, site + "|" + draft.ThreadKey, "This conversation is taking many comments at once."));
    }

    static Refuse? Refused(PartitionedRateLimiter<string> limiter, string key, string why)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return null;
        }
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        return new Refuse(StatusCodes.Status429TooManyRequests, "rate_limited",
            $"{why} Please wait {seconds} seconds and try again.", TimeSpan.FromSeconds(seconds));
    }

    static PartitionedRateLimiter<string> PerMinute(int permits) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6,
            QueueLimit = 0,
        }));

    public void Dispose()
    {
        _authors.Dispose();
        _threads.Dispose();
    }
}
