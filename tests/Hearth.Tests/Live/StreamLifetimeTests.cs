using System.Net;

namespace Hearth.Tests.Live;

/// <summary>Streams that live a minute, so the clock can take one past its end.</summary>
public sealed class ShortStreamsApp : HearthApp
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Hearth:Live:MaxStreamDuration"] = "00:01:00",
        ["Hearth:Live:KeepAlive"] = "00:00:20",
    };
}

/// <summary>
/// A stream has no timer of its own: the node's one keep-alive tick wakes the quiet ones, and that same tick is what
/// ends a stream that has lived its longest. Both must still happen on time.
/// </summary>
public class StreamLifetimeTests(ShortStreamsApp app) : IClassFixture<ShortStreamsApp>
{
    readonly HttpClient _client = app.CreateClient();
    static readonly TimeSpan Step = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task AQuietStreamGetsKeepAlivesAndEndsAtTheFirstTickAfterItsLongestLife()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        await _client.CommentAsync(site, url, "Before the reader came.");
        using var response = await _client.GetAsync($"/api/v1/sites/{site}/live?url={Uri.EscapeDataString(url)}",
            HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new SseReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("ready", (await reader.NextAsync()).Type);

        // Moved in small steps, and only while the reader waits, so the time of each event is known to within a step.
        var moved = TimeSpan.Zero;
        var pings = new List<TimeSpan>();
        while (moved < TimeSpan.FromMinutes(5))
        {
            var next = reader.NextAsync();
            while (!next.IsCompleted && moved < TimeSpan.FromMinutes(5))
            {
                app.Clock.Advance(Step);
                moved += Step;
                await Task.WhenAny(next, Task.Delay(200));
            }
            try
            {
                Assert.Equal("ping", (await next).Type);
                pings.Add(moved);
            }
            catch (EndOfStreamException)
            {
                break;
            }
        }

        // Quiet for a minute: keep-alives at the ticks (the first tick may find "ready" just sent), none between.
        Assert.InRange(pings.Count, 1, 3);
        Assert.All(pings, p => Assert.True(p <= TimeSpan.FromMinutes(1) + Step, $"a keep-alive at {p} after the end"));
        // Ended by the first tick after its minute, not before it and not much after.
        Assert.InRange(moved, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(20) + Step);
    }
}
