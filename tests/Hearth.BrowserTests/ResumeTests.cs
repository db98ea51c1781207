using System.Collections.Concurrent;
using System.Text.Json;
using Hearth.Conversations;
using Hearth.Live;
using Hearth.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Microsoft.Playwright.Assertions;

// Two Chromiums and two servers at once starve each other on a 2-core machine: the test classes run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Hearth.BrowserTests;

/// <summary>
/// A server whose live streams run on a clock of their own that the test moves: moving it past MaxStreamDuration ends
/// every open stream, exactly as time does in production, but when the test says so and not when a busy machine
/// happens to get there.
/// </summary>
public sealed class DroppableStreamsServer : HearthServer
{
    public FakeTimeProvider StreamClock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>Ends every live stream open now; the browser reconnects by itself after Hearth:Live:Retry.</summary>
    public void EndOpenStreams() =>
        StreamClock.Advance(Services.GetRequiredService<IOptions<LiveOptions>>().Value.MaxStreamDuration);

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Hearth:Live:Retry"] = "00:00:00.300",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // The node's one tick (keep-alives, and the end of streams past their longest life) runs on the same clock.
        builder.ConfigureTestServices(services => services
            .AddSingleton(sp => new LiveFanOut(sp.GetRequiredService<IServiceScopeFactory>(), StreamClock,
                sp.GetRequiredService<IOptions<LiveOptions>>(), sp.GetRequiredService<ILogger<LiveFanOut>>()))
            .AddScoped(sp => new LiveStream(
                sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<LiveFanOut>(), StreamClock, sp.GetRequiredService<IOptions<LiveOptions>>(),
                sp.GetRequiredService<Hearth.Web.HearthMetrics>())));
    }
}

public sealed class DroppableStreamsFixture : BrowserFixture
{
    public DroppableStreamsServer Server { get; } = new();

    protected override HearthServer CreateServer() => Server;
}

public class ResumeTests(DroppableStreamsFixture fx) : IClassFixture<DroppableStreamsFixture>
{
    /// <summary>
    /// Every live event the page's EventSource hears, recorded before the widget sees it: the widget ignores an event
    /// for a comment it already shows, so only this can tell that the server sent nothing twice.
    /// </summary>
    const string RecordLiveEvents = """
        (() => {
          const Real = window.EventSource;
          window.__heard = [];
          window.EventSource = class extends Real {
            constructor(url, init) {
              super(url, init);
              for (const type of ["comment.created", "comment.updated", "comment.deleted"]) {
                this.addEventListener(type, (e) => window.__heard.push({ type, id: e.lastEventId, data: e.data }));
              }
            }
          };
        })();
        """;

    [Fact]
    public async Task Comments_posted_around_a_dropped_stream_all_arrive_and_none_twice()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        await fx.Hearth.CommentAsync(site, url, "Before the page was opened.", name: "Ada");

        await using var reader = await fx.NewReaderAsync();
        await reader.Page.AddInitScriptAsync(RecordLiveEvents);
        // Post the moment a stream ends (the browser is between streams) and the moment the next one is asked for
        // (the server has not started reading the log for it yet): the two gaps where an event could slip through.
        var posts = new ConcurrentQueue<Task>();
        var written = 0;
        void Post(string when)
        {
            var n = Interlocked.Increment(ref written);
            posts.Enqueue(fx.Hearth.CommentAsync(site, url, $"Posted {when}, number {n}.", name: "Writer"));
        }
        async Task AllPostedAsync()
        {
            while (posts.TryDequeue(out var post))
            {
                await post;
            }
        }
        reader.Context.RequestFinished += (_, request) =>
        {
            if (request.Url.Contains("/live?", StringComparison.Ordinal))
            {
                Post("as a stream ended");
            }
        };
        var reconnects = new ConcurrentQueue<Task<Dictionary<string, string>>>();
        reader.Context.Request += (_, request) =>
        {
            if (request.Url.Contains("/live?", StringComparison.Ordinal) && reader.LiveResponses > 0)
            {
                Post("as a stream was reopened");
                reconnects.Enqueue(request.AllHeadersAsync());
            }
        };
        var bar = reader.Thread.Locator("button.new");
        async Task DropAsync(int streams)
        {
            fx.Server.EndOpenStreams();
            await Wait.UntilAsync(() => reader.LiveResponses == streams, $"live stream {streams} to open");
            await AllPostedAsync();
            // Each of the two posts has reached the page before the next drop, so the next reconnect has an event to resume from.
            await Expect(bar).ToHaveTextAsync($"Show {Volatile.Read(ref written)} new comments");
        }

        await reader.OpenAsync(url);
        await LiveTests.LiveStreamOpenAsync(reader);
        // The first stream ends before it carried any event: the browser has no Last-Event-ID and the stream resumes
        // from the position the page was rendered at.
        await DropAsync(2);
        Post("while the second stream was open");
        await AllPostedAsync();
        await Expect(bar).ToHaveTextAsync("Show 3 new comments");
        // The next two resume from the Last-Event-ID the browser sends.
        await DropAsync(3);
        await DropAsync(4);
        Post("after the last reconnect");
        await AllPostedAsync();

        var expected = Volatile.Read(ref written);
        Assert.Equal(8, expected);
        await Expect(bar).ToHaveTextAsync($"Show {expected} new comments");
        Assert.Equal(4, reader.LiveResponses);
        var heard = await reader.Page.EvaluateAsync<JsonElement>("window.__heard");
        var created = heard.EnumerateArray().Where(e => e.GetProperty("type").GetString() == "comment.created")
            .Select(e => JsonDocument.Parse(e.GetProperty("data").GetString()!).RootElement.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(expected, created.Count);
        Assert.Equal(expected, created.Distinct().Count());
        await bar.ClickAsync();

        await Expect(reader.Comments).ToHaveCountAsync(expected + 1);
        var bodies = (await reader.Thread.Locator("article.comment .body").AllTextContentsAsync()).Select(b => b.Trim()).ToList();
        Assert.Equal(bodies.Count, bodies.Distinct().Count());
        for (var n = 1; n <= expected; n++)
        {
            Assert.Single(bodies, b => b.EndsWith($"number {n}.", StringComparison.Ordinal));
        }
        await Expect(reader.Thread.Locator("h2")).ToHaveTextAsync($"{expected + 1} comments");
        // Reconnects after an event resume from the last one seen instead of replaying the thread.
        var resumedFrom = new List<string>();
        foreach (var headers in reconnects)
        {
            resumedFrom.Add((await headers).GetValueOrDefault("last-event-id", ""));
        }
        Assert.Equal(3, resumedFrom.Count);
        Assert.Equal("", resumedFrom[0]);
        var positions = resumedFrom.Skip(1).Select(long.Parse).ToList();
        Assert.True(positions[0] > 1 && positions[1] > positions[0], $"Resumed from {string.Join(", ", resumedFrom)}.");
        Assert.Empty(reader.PageErrors);
        await reader.ScreenshotAsync("resume-after-drops", fullPage: false);
    }
}
