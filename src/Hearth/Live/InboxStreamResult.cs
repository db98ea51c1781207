using System.Buffers;
using System.Globalization;
using System.Net.ServerSentEvents;
using Hearth.Web;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Hearth.Live;

/// <summary>
/// One person's inbox as Server-Sent Events: "ready" once the stream listens, then "notification" with the id of the
/// newest notification for them since the last event, and a keep-alive while nothing happens. The events say only
/// that there is something new; the page or widget reads it through the inbox it already uses, so nothing about a
/// notification travels here, and a page that opens (or comes back) reads once on "ready" whatever it missed.
/// With <paramref name="teamSites"/>, the team inbox's stream instead: "moved" whenever a thread of one of those sites
/// moved, for the page to read what is new on them.
/// </summary>
public sealed class InboxStreamResult(long userId, long? siteId, IReadOnlyCollection<long>? teamSites = null)
    : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    static readonly byte[] Ping = SseBytes.Encode(new SseItem<string>("", "ping"));
    static readonly byte[] Moved = SseBytes.Encode(new SseItem<string>("{}", "moved"));

    /// <summary>
    /// A team stream says "moved" at most this often: votes and edits move threads too, and each "moved" has the page
    /// read its list again.
    /// </summary>
    public static readonly TimeSpan TeamPause = TimeSpan.FromSeconds(3);

    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => "text/event-stream";

    public async Task ExecuteAsync(HttpContext http)
    {
        var services = http.RequestServices;
        var watch = services.GetRequiredService<InboxWatch>();
        var clock = services.GetRequiredService<TimeProvider>();
        var settings = services.GetRequiredService<IOptions<LiveOptions>>().Value;
        using var watcher = teamSites is null ? watch.Join(userId, siteId) : watch.JoinTeam(userId, teamSites);
        if (watcher is null)
        {
            await Problems.Of(StatusCodes.Status429TooManyRequests, "too_many_streams",
                $"You already have {settings.InboxStreamsPerPerson} live inboxes open; close one, or reload this page later.").ExecuteAsync(http);
            return;
        }
        var ct = http.RequestAborted;
        try
        {
            if (teamSites is null)
            {
                await watch.PlaceAsync(ct);
            }
            var response = http.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = ContentType;
            response.Headers.CacheControl = "no-cache,no-store";
            // As for the thread streams: no compression holding events back, no proxy buffering them into bursts.
            response.Headers.ContentEncoding = "identity";
            response.Headers["X-Accel-Buffering"] = "no";
            http.Features.GetRequiredFeature<IHttpResponseBodyFeature>().DisableBuffering();
            using var open = services.GetRequiredService<HearthMetrics>().LiveOpened();
            var output = response.BodyWriter;
            var ends = clock.GetUtcNow() + settings.MaxStreamDuration;
            output.Write(SseBytes.Encode(new SseItem<string>("", "ready") { ReconnectionInterval = settings.Retry }));
            while (true)
            {
                watcher.Sent(clock.GetUtcNow());
                var flushed = await output.FlushAsync(ct);
                // Woken at least by the keep-alive, which also lets a stream past its end finish.
                if (flushed.IsCompleted || flushed.IsCanceled || clock.GetUtcNow() >= ends || !await watcher.Signals.WaitToReadAsync(ct))
                {
                    return;
                }
                var newest = InboxWatch.Watcher.KeepAlive;
                while (watcher.Signals.TryRead(out var id))
                {
                    newest = Math.Max(newest, id);
                }
                output.Write(newest == InboxWatch.Watcher.KeepAlive ? Ping : teamSites is not null ? Moved : SseBytes.Encode(new SseItem<string>(
                    $"{{\"id\":{newest.ToString(CultureInfo.InvariantCulture)}}}", "notification")));
                if (teamSites is not null && newest != InboxWatch.Watcher.KeepAlive)
                {
                    // Sent now; whatever moves meanwhile is told once, after the pause.
                    watcher.Sent(clock.GetUtcNow());
                    if ((await output.FlushAsync(ct)).IsCompleted)
                    {
                        return;
                    }
                    await Task.Delay(TeamPause, clock, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The reader left.
        }
    }
}
