using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Hearth.Web;

/// <summary>
/// Write limits per client, keyed by the hashed address, counted in Redis when the instance has several nodes (see
/// <see cref="SharedRateLimiter"/>). Reads are never limited here: they come from memory.
/// </summary>
public static class RateLimits
{
    public const string CommentWrites = "comment-writes";
    public const string Votes = "votes";
    public const string Previews = "previews";
    public const string SignIns = "sign-ins";
    public const string AccountActions = "account-actions";
    public const string Reports = "reports";
    public const string SignUps = "sign-ups";

    public static IServiceCollection AddHearthRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(CommentWrites, http => PerClient(http, o => o.CommentWritesPerMinute));
            limiter.AddPolicy(Votes, http => PerClient(http, o => o.VotesPerMinute));
            limiter.AddPolicy(Previews, http => PerClient(http, o => o.PreviewsPerMinute));
            limiter.AddPolicy(SignIns, http => PerClient(http, o => o.SignInsPerMinute));
            limiter.AddPolicy(AccountActions, http => PerClient(http, o => o.AccountActionsPerMinute));
            limiter.AddPolicy(Reports, http => PerClient(http, o => o.ReportsPerMinute));
            limiter.AddPolicy(SignUps, http => PerClient(http, o => o.SignUpsPerHour, TimeSpan.FromHours(1)));
            limiter.OnRejected = async (context, ct) =>
            {
                var policy = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
                var seconds = SecondsToWait(context.Lease, policy == SignUps ? TimeSpan.FromHours(1) : TimeSpan.FromMinutes(1));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var problem = Problems.Of(StatusCodes.Status429TooManyRequests, "rate_limited",
                    $"Too many requests from your connection. Please wait {seconds} seconds and try again.");
                await problem.ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    const int Segments = 6;

    /// <summary>A window sliding in six steps that refuses at once rather than queueing: Hearth's one kind of limit.</summary>
    public static SlidingWindowRateLimiterOptions SlidingWindow(int permits, TimeSpan window) => new()
    {
        PermitLimit = permits,
        Window = window,
        SegmentsPerWindow = Segments,
        QueueLimit = 0,
    };

    /// <summary>
    /// Whole seconds until a refused client may try again. Sliding windows give no wait of their own; their permits
    /// come back one step at a time, so one step is the answer.
    /// </summary>
    public static int SecondsToWait(RateLimitLease lease, TimeSpan window)
    {
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : window / Segments;
        return Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
    }

    static RateLimitPartition<string> PerClient(HttpContext http, Func<RateLimitOptions, int> permitsOf, TimeSpan? window = null)
    {
        var limits = http.RequestServices.GetRequiredService<IOptions<HearthOptions>>().Value.RateLimits;
        var permits = permitsOf(limits);
        var span = window ?? TimeSpan.FromMinutes(1);
        var key = $"{http.IpHash()}|{permits}|{span.Ticks}";
        // With several nodes the count is kept in Redis, so a client cannot multiply its permits by the number of nodes.
        return http.RequestServices.GetService<RedisConnection>() is { Configured: true } redis
            ? SharedRateLimiter.Partition(redis, "hearth:limit:" + key, permits, span)
            : RateLimitPartition.GetSlidingWindowLimiter(key, _ => SlidingWindow(permits, span));
    }
}
