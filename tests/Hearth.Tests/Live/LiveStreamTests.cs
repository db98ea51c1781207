using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Sites;

namespace Hearth.Tests.Live;

public class LiveStreamTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    async Task<(HttpResponseMessage Response, SseReader Reader)> OpenAsync(string site, string url, string? lastEventId = null, string? since = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/live?url={Uri.EscapeDataString(url)}{(since is null ? "" : "&since=" + since)}");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reader = new SseReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("ready", (await reader.NextAsync()).Type);
        return (response, reader);
    }

    static long IdOf(SseEvent e) => JsonDocument.Parse(e.Data).RootElement.GetProperty("id").GetInt64();

    [Fact]
    public async Task ACommentPostedElsewhereArrivesOnTheStream()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        await _client.CommentAsync(site, url, "already there");
        var (response, reader) = await OpenAsync(site, url);
        using (response)
        using (reader)
        {
            var posted = await _client.CommentAsync(site, url, "fresh words");
            var e = await reader.NextChangeAsync();
            Assert.Equal("comment.created", e.Type);
            Assert.Equal(posted.Id(), IdOf(e));
            Assert.Contains("fresh words", e.Data);
            Assert.False(string.IsNullOrEmpty(e.Id));
        }
    }

    [Fact]
    public async Task AStreamOnAPageWithoutCommentsHearsTheFirstOne()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var (response, reader) = await OpenAsync(site, url);
        using (response)
        using (reader)
        {
            var first = await _client.CommentAsync(site, url, "first!");
            Assert.Equal(first.Id(), IdOf(await reader.NextChangeAsync()));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AReconnectGetsExactlyWhatItMissed(bool withLastEventIdHeader)
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        await _client.CommentAsync(site, url, "one");
        var lastEventId = (await _client.ThreadAsync(site, url)).GetProperty("lastEventId").GetInt64().ToString();
        var missed = new[] { await _client.CommentAsync(site, url, "two"), await _client.CommentAsync(site, url, "three") };

        var (response, reader) = withLastEventIdHeader ? await OpenAsync(site, url, lastEventId: lastEventId) : await OpenAsync(site, url, since: lastEventId);
        using (response)
        using (reader)
        {
            var first = await reader.NextChangeAsync();
            var second = await reader.NextChangeAsync();
            Assert.Equal(missed.Select(c => c.Id()), new[] { IdOf(first), IdOf(second) });
            Assert.True(long.Parse(first.Id!) < long.Parse(second.Id!));
            var later = await _client.CommentAsync(site, url, "four");
            Assert.Equal(later.Id(), IdOf(await reader.NextChangeAsync()));
        }
    }

    [Fact]
    public async Task EditsVotesAndDeletesArriveAsUpdatesAndDeletions()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var comment = await _client.CommentAsync(site, url, "draft");
        var token = comment.GetProperty("editToken").GetString();
        var (response, reader) = await OpenAsync(site, url);
        using (response)
        using (reader)
        {
            var edit = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/sites/{site}/comments/{comment.Id()}") { Content = JsonContent.Create(new { body = "final" }) };
            edit.Headers.Add("X-Edit-Token", token);
            (await _client.SendAsync(edit)).EnsureSuccessStatusCode();
            var updated = await reader.NextChangeAsync();
            Assert.Equal("comment.updated", updated.Type);
            Assert.Contains("final", updated.Data);

            (await _client.PostAsJsonAsync($"/api/v1/sites/{site}/comments/{comment.Id()}/vote", new { value = 1 })).EnsureSuccessStatusCode();
            var voted = await reader.NextChangeAsync();
            Assert.Equal("comment.updated", voted.Type);
            Assert.Equal(1, JsonDocument.Parse(voted.Data).RootElement.GetProperty("score").GetInt32());

            var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/sites/{site}/comments/{comment.Id()}");
            delete.Headers.Add("X-Edit-Token", token);
            (await _client.SendAsync(delete)).EnsureSuccessStatusCode();
            var deleted = await reader.NextChangeAsync();
            Assert.Equal("comment.deleted", deleted.Type);
            Assert.Equal(comment.Id(), IdOf(deleted));
        }
    }

    [Fact]
    public async Task CommentsWaitingForModerationAreNotBroadcast()
    {
        var site = await app.CreateSiteAsync(moderation: ModerationMode.Pre);
        var url = ApiCalls.NewPageUrl();
        var (response, reader) = await OpenAsync(site, url);
        using (response)
        using (reader)
        {
            await _client.CommentAsync(site, url, "held back");
            // Move the clock until the stream's keep-alive fires: the first event after the post must be that ping.
            var next = reader.NextAsync();
            while (!next.IsCompleted)
            {
                app.Clock.Advance(TimeSpan.FromSeconds(21));
                await Task.WhenAny(next, Task.Delay(100));
            }
            Assert.Equal("ping", (await next).Type);
        }
    }

    [Fact]
    public async Task AnUnreadableLastEventIdIsABadRequest()
    {
        var site = await app.CreateSiteAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/live?url=https://blog.example/a");
        request.Headers.Add("Last-Event-ID", "yesterday");
        var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty("Last-Event-ID", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/v1/sites/no-such-site/live?url=https://blog.example/a")).StatusCode);
    }
}
