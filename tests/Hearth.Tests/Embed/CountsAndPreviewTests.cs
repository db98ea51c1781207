using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Embed;

public class CountsAndPreviewTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task CountsOfManyThreadsComeInOneRequest()
    {
        var site = await app.CreateSiteAsync();
        var (a, b) = (ApiCalls.NewPageUrl(), ApiCalls.NewPageUrl());
        await _client.CommentAsync(site, a, "1");
        await _client.CommentAsync(site, a, "2");
        await _client.CommentAsync(site, "https://blog.example/elsewhere", "3", identifier: "post-7");
        var query = string.Join('&', new[] { a + "?utm_source=list", b, "post-7" }.Select(t => "thread=" + Uri.EscapeDataString(t)));

        var counts = JsonDocument.Parse(await _client.GetStringAsync($"/api/v1/sites/{site}/counts?{query}")).RootElement.GetProperty("counts");
        Assert.Equal(2, counts.GetProperty(a + "?utm_source=list").GetInt32());
        Assert.Equal(0, counts.GetProperty(b).GetInt32());
        Assert.Equal(1, counts.GetProperty("post-7").GetInt32());
    }

    [Fact]
    public async Task CountsNeedOneToAHundredThreads()
    {
        var site = await app.CreateSiteAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/api/v1/sites/{site}/counts")).StatusCode);
        var tooMany = string.Join('&', Enumerable.Range(0, 101).Select(i => $"thread=t{i}"));
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/api/v1/sites/{site}/counts?{tooMany}")).StatusCode);
    }

    [Fact]
    public async Task PreviewRendersLikeAPostAndStoresNothing()
    {
        var site = await app.CreateSiteAsync();
        var before = await app.InDatabaseAsync(db => db.Comments.CountAsync());
        var response = await _client.PostAsJsonAsync($"/api/v1/sites/{site}/preview", new { body = "**bold** <script>x</script> [l](javascript:alert(1))" });
        response.EnsureSuccessStatusCode();
        var html = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("html").GetString()!;
        Assert.Contains("<strong>bold</strong>", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("javascript:", html);
        Assert.Equal(before, await app.InDatabaseAsync(db => db.Comments.CountAsync()));

        var empty = await _client.PostAsJsonAsync($"/api/v1/sites/{site}/preview", new { body = "" });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task TheThreadPageTellsWhereTheLiveStreamShouldStart()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        Assert.Equal(0, (await _client.ThreadAsync(site, url)).GetProperty("lastEventId").GetInt64());
        await _client.CommentAsync(site, url, "x");
        Assert.True((await _client.ThreadAsync(site, url)).GetProperty("lastEventId").GetInt64() > 0);
    }
}
