using System.Net;
using Hearth.Conversations;
using Hearth.Live;
using Hearth.Sites;
using Hearth.Tests.Live;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Security;

/// <summary>
/// Anyone can ask for sites, pages and live streams that do not exist, as many as they like. What the server keeps
/// in memory for such requests is bounded: a fixed number of remembered misses, and nothing at all for made-up pages
/// and for streams once they close.
/// </summary>
public class MadeUpNamesLeaveNoMemoryBehindTests(HearthApp app) : IClassFixture<HearthApp>
{
    const int Requests = 2000;
    readonly HttpClient _client = app.CreateClient();

    static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task ThousandsOfMadeUpSiteNamesAreRememberedOnlyUpToAFixedNumber()
    {
        var real = await app.CreateSiteAsync();
        var directory = app.Services.GetRequiredService<SiteDirectory>();
        for (var i = 0; i < Requests; i++)
        {
            using var response = await _client.GetAsync($"/api/v1/sites/made-up-{i}-{Guid.NewGuid():N}/thread?url=https%3A%2F%2Fblog.example%2Fa");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        Assert.InRange(directory.Count, SiteDirectory.MaxMissing / 2, SiteDirectory.MaxMissing + 10);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/api/v1/sites/{real}/thread?url=https%3A%2F%2Fblog.example%2Fa")).StatusCode);

        // Once the misses are stale they make room for new ones, and still no more than the bound are kept.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        for (var i = 0; i < 50; i++)
        {
            using var response = await _client.GetAsync($"/api/v1/sites/later-{i}-{Guid.NewGuid():N}/thread?url=https%3A%2F%2Fblog.example%2Fa");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        Assert.InRange(directory.Count, 50, SiteDirectory.MaxMissing + 10);
    }

    [Fact]
    public async Task ThousandsOfMadeUpPagesLeaveNothingInThePageCache()
    {
        var site = await app.CreateSiteAsync();
        var cache = app.Services.GetRequiredService<ThreadPageCache>();
        var before = cache.TrackedThreads;
        for (var i = 0; i < Requests; i++)
        {
            var page = await _client.ThreadAsync(site, ApiCalls.NewPageUrl(), "&sort=newest");
            Assert.Equal(0, page.GetProperty("thread").GetProperty("commentCount").GetInt32());
        }
        Assert.Equal(before, cache.TrackedThreads);

        // A real thread is kept while its pages are, and forgotten when a write drops them.
        var url = ApiCalls.NewPageUrl();
        await _client.CommentAsync(site, url, "A real thread");
        await _client.ThreadAsync(site, url);
        Assert.Equal(before + 1, cache.TrackedThreads);
        await _client.CommentAsync(site, url, "A write drops its pages");
        Assert.Equal(before, cache.TrackedThreads);
        Assert.Equal(2, (await _client.ThreadAsync(site, url)).GetProperty("comments").GetArrayLength());
    }

    [Fact]
    public async Task StreamsOnMadeUpPagesLeaveNothingBehindWhenTheyClose()
    {
        var site = await app.CreateSiteAsync();
        var changes = app.Services.GetRequiredService<LiveFanOut>();
        var before = changes.FollowedThreads;
        var open = new List<(HttpResponseMessage Response, SseReader Reader)>();
        for (var i = 0; i < 15; i++)
        {
            var response = await _client.GetAsync($"/api/v1/sites/{site}/live?url={Uri.EscapeDataString(ApiCalls.NewPageUrl())}",
                HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var reader = new SseReader(await response.Content.ReadAsStreamAsync());
            Assert.Equal("ready", (await reader.NextAsync()).Type);
            open.Add((response, reader));
        }
        Assert.Equal(before + 15, changes.FollowedThreads);

        foreach (var (response, reader) in open)
        {
            reader.Dispose();
            response.Dispose();
        }
        await WaitUntilAsync(() => changes.FollowedThreads == before, $"{changes.FollowedThreads - before} closed streams are still remembered");
    }
}
