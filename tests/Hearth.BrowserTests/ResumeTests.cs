using System.Collections.Concurrent;
using static Microsoft.Playwright.Assertions;

// Two Chromiums and two servers at once starve each other on a 2-core machine, and this test counts on the browser
// reconnecting on time: the test classes run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Hearth.BrowserTests;

/// <summary>A server that ends every live stream after two seconds, as it does after MaxStreamDuration in production.</summary>
public sealed class ShortStreamsServer : HearthServer
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Hearth:Live:MaxStreamDuration"] = "00:00:02",
        ["Hearth:Live:KeepAlive"] = "00:00:01",
        ["Hearth:Live:Retry"] = "00:00:00.300",
    };
}

public sealed class ShortStreamsFixture : BrowserFixture
{
    protected override HearthServer CreateServer() => new ShortStreamsServer();
}

public class ResumeTests(ShortStreamsFixture fx) : IClassFixture<ShortStreamsFixture>
{
    [Fact]
    public async Task Comments_posted_around_a_dropped_stream_all_arrive_and_none_twice()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        await fx.Hearth.CommentAsync(site, url, "Before the page was opened.", name: "Ada");

        await using var reader = await fx.NewReaderAsync();
        // Post the moment a stream ends (the browser is between streams) and the moment the next one is asked for
        // (the server has not started reading the log for it yet): the two gaps where an event could slip through.
        var posts = new ConcurrentQueue<Task>();
        var written = 0;
        void Post(string when)
        {
            var n = Interlocked.Increment(ref written);
            posts.Enqueue(fx.Hearth.CommentAsync(site, url, $"Posted {when}, number {n}.", name: "Writer"));
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

        await reader.OpenAsync(url);
        await LiveTests.LiveStreamOpenAsync(reader);
        Post("while the first stream was open");
        // Three reconnects, each with its two posts, cover a drop with and without a Last-Event-ID to resume from.
        await Wait.UntilAsync(() => reader.LiveResponses >= 4, "the stream to be dropped and reopened three times", 60_000);
        Post("after the last reconnect");
        while (posts.TryDequeue(out var post))
        {
            await post;
        }

        var expected = Volatile.Read(ref written);
        Assert.True(expected >= 7, $"Only {expected} comments were posted around the drops.");
        var bar = reader.Thread.Locator("button.new");
        await Expect(bar).ToHaveTextAsync($"Show {expected} new comments", new() { Timeout = 20_000 });
        await bar.ClickAsync();

        await Expect(reader.Comments).ToHaveCountAsync(expected + 1);
        var bodies = (await reader.Thread.Locator("article.comment .body").AllTextContentsAsync()).Select(b => b.Trim()).ToList();
        Assert.Equal(bodies.Count, bodies.Distinct().Count());
        for (var n = 1; n <= expected; n++)
        {
            Assert.Single(bodies, b => b.EndsWith($"number {n}.", StringComparison.Ordinal));
        }
        await Expect(reader.Thread.Locator("h2")).ToHaveTextAsync($"{expected + 1} comments");
        // Reconnects resume from the last event seen instead of replaying the thread.
        var resumedFrom = new List<string>();
        foreach (var headers in reconnects)
        {
            resumedFrom.Add((await headers).GetValueOrDefault("last-event-id", ""));
        }
        Assert.Contains(resumedFrom, id => long.TryParse(id, out var position) && position > 1);
        Assert.Empty(reader.PageErrors);
        await reader.ScreenshotAsync("resume-after-drops", fullPage: false);
    }
}
