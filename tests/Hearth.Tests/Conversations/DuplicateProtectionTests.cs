using System.Net;
using System.Text.Json;

namespace Hearth.Tests.Conversations;

public class DuplicateProtectionTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [Fact]
    public async Task RetryWithTheSameIdempotencyKeyGetsTheFirstAnswer()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var body = new { url, body = "posted once", author = new { name = "Ann" } };

        var first = await _client.PostCommentAsync(site, body, idempotencyKey: "key-1");
        var retry = await _client.PostCommentAsync(site, body, idempotencyKey: "key-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        var (a, b) = (await ReadAsync(first), await ReadAsync(retry));
        Assert.Equal(a.Id(), b.Id());
        Assert.Equal(a.GetProperty("editToken").GetString(), b.GetProperty("editToken").GetString());
        Assert.Equal(1, (await _client.ThreadAsync(site, url)).GetProperty("comments").GetArrayLength());
    }

    [Fact]
    public async Task ReusingAnIdempotencyKeyForOtherWordsIsRefused()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        await _client.PostCommentAsync(site, new { url, body = "first", author = new { name = "Ann" } }, idempotencyKey: "key-2");
        var other = await _client.PostCommentAsync(site, new { url, body = "second", author = new { name = "Ann" } }, idempotencyKey: "key-2");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("idempotency_key_reused", (await other.ProblemAsync()).GetProperty("code").GetString());
        Assert.Equal(1, (await _client.ThreadAsync(site, url)).GetProperty("comments").GetArrayLength());
    }

    [Fact]
    public async Task SameAuthorSameWordsWithinTenMinutesGetsTheExistingComment()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var first = await _client.PostCommentAsync(site, new { url, body = "Great  post!\n", author = new { name = "Cy" } });
        app.Clock.Advance(TimeSpan.FromMinutes(9));
        var twin = await _client.PostCommentAsync(site, new { url, body = "great post!", author = new { name = "cy" } });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, twin.StatusCode);
        Assert.Equal((await ReadAsync(first)).Id(), (await ReadAsync(twin)).Id());
        Assert.False((await ReadAsync(twin)).TryGetProperty("editToken", out _));
        Assert.Equal(1, (await _client.ThreadAsync(site, url)).GetProperty("comments").GetArrayLength());
    }

    [Fact]
    public async Task SameWordsAfterTheWindowAreANewComment()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        await _client.CommentAsync(site, url, "again", name: "Di");
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        await _client.CommentAsync(site, url, "again", name: "Di");
        Assert.Equal(2, (await _client.ThreadAsync(site, url)).GetProperty("comments").GetArrayLength());
    }

    [Fact]
    public async Task AnotherAuthorMayUseTheSameWords()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        await _client.CommentAsync(site, url, "+1", name: "Ed");
        await _client.CommentAsync(site, url, "+1", name: "Flo");
        Assert.Equal(2, (await _client.ThreadAsync(site, url)).GetProperty("comments").GetArrayLength());
    }

    [Fact]
    public async Task ADoubleClickStoresOneComment()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            _client.PostCommentAsync(site, new { url, body = "clicked twice", author = new { name = "Gus" } })));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var ids = new HashSet<long>();
        foreach (var r in responses)
        {
            ids.Add((await ReadAsync(r)).Id());
        }
        Assert.Single(ids);
    }
}
