using System.Globalization;
using System.Threading.RateLimiting;
using Hearth.Conversations;
using Hearth.Sites;
using Hearth.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Hearth.Live;

public static class LiveApi
{
    public const string StreamsPolicy = "live-streams";

    public static IServiceCollection AddLive(this IServiceCollection services)
    {
        services.AddOptions<LiveOptions>().BindConfiguration(LiveOptions.Section)
            .Validate(o => o.KeepAlive > TimeSpan.Zero && o.MaxStreamDuration > TimeSpan.Zero && o.StreamsPerClient > 0 && o.CheckEvery > TimeSpan.Zero
                && o.InboxStreamsPerPerson > 0,
                "Hearth:Live settings must be positive.")
            .ValidateOnStart();
        services.AddScoped<LiveStream>();
        services.AddSingleton<LiveFanOut>();
        services.AddSingleton<NodeChanges>();
        services.AddSingleton<InboxWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<InboxWatch>());
        services.AddScoped<ThreadChanges>();
        RedisConnection.AddRedisConnection(services);
        // One node keeps its changes in memory; several share them through Redis.
        services.AddSingleton<IChangeBus>(sp => sp.GetRequiredService<RedisConnection>().Configured
            ? ActivatorUtilities.CreateInstance<RedisChangeBus>(sp)
            : ActivatorUtilities.CreateInstance<InProcessChangeBus>(sp));
        services.AddHostedService<LiveCheck>();
        services.Configure<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>(limiter =>
            limiter.AddPolicy(StreamsPolicy, http =>
            {
                var perClient = http.RequestServices.GetRequiredService<IOptions<LiveOptions>>().Value.StreamsPerClient;
                return RateLimitPartition.GetConcurrencyLimiter(http.IpHash() + "|live",
                    _ => new ConcurrencyLimiterOptions { PermitLimit = perClient, QueueLimit = 0 });
            }));
        return services;
    }

    public static RouteGroupBuilder MapLive(this RouteGroupBuilder site)
    {
        site.MapGet("/live", Stream)
            .RequireRateLimiting(StreamsPolicy)
            .WithSummary("A thread's changes as Server-Sent Events (comment.created, comment.updated, comment.deleted); resumes from Last-Event-ID.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return site;
    }

    static IResult Stream(HttpContext http, LiveStream stream, string? url, string? identifier, long? since,
        [FromHeader(Name = "Last-Event-ID")] string? lastEventId, CancellationToken ct)
    {
        var (address, field, error) = CommentInput.ReadAddress(url, identifier, http.Site().Origins);
        if (address is null)
        {
            return Problems.Invalid(field!, error!);
        }
        long? after = since;
        if (!string.IsNullOrEmpty(lastEventId))
        {
            if (!long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var resumed))
            {
                return Problems.Invalid("Last-Event-ID", "Last-Event-ID must be an event id this stream sent.");
            }
            after = resumed;
        }
        if (after is < 0)
        {
            return Problems.Invalid("since", "since must be an event id from a thread page.");
        }
        return new LiveStreamResult(stream, http.Site().Id, address.Value, after);
    }
}
