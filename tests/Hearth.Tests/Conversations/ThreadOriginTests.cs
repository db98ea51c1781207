using System.Net;
using System.Text.RegularExpressions;
using Hearth.Conversations;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Conversations;

/// <summary>
/// A thread belongs to a page of its site: nobody opens one for somebody else's address, and Hearth's own no-JS page
/// never links or points its canonical address anywhere the site does not own. Titles are the client's word only.
/// </summary>
public class ThreadOriginTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    Task<int> ThreadsAsync(string site) =>
        app.InDatabaseAsync(db => db.Threads.CountAsync(t => db.Sites.Any(s => s.Id == t.SiteId && s.Name == site)));

    [Theory]
    [InlineData("https://evil.example/", null)]
    [InlineData("https://evil.example/", "post-1")]
    [InlineData("http://blog.example/post", null)]
    [InlineData("https://blog.example:8443/post", null)]
    [InlineData("https://blog.example.evil.example/post", "post-2")]
    public async Task NoThreadIsOpenedForAnAddressOffTheSitesOrigins(string url, string? identifier)
    {
        var site = await app.CreateSiteAsync();

        using var post = await _client.PostCommentAsync(site, new { url, identifier, title = "Click here", body = "Visit me", author = new { name = "Mallory" } });

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.True((await post.ProblemAsync()).GetProperty("errors").TryGetProperty("url", out _));
        Assert.Equal(0, await ThreadsAsync(site));
    }

    [Fact]
    public async Task ReadingAnOffSiteAddressAnswersProblemJsonAndCreatesNothing()
    {
        var site = await app.CreateSiteAsync();
        var evil = Uri.EscapeDataString("https://evil.example/");

        foreach (var path in new[]
        {
            $"/api/v1/sites/{site}/thread?url={evil}",
            $"/api/v1/sites/{site}/thread?url={evil}&identifier=post-1",
            $"/embed/{site}/thread?url={evil}",
            $"/embed/{site}/thread?url={evil}&identifier=post-1",
            $"/api/v1/sites/{site}/live?url={evil}",
        })
        {
            using var response = await _client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode}");
            Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty("url", out _), path);
        }
        Assert.Equal(0, await ThreadsAsync(site));
    }

    [Fact]
    public async Task EveryOriginOfTheSiteMayHaveThreadsAndTrackingParametersStillGo()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example", "http://localhost:4000"]);

        var first = await _client.CommentAsync(site, "https://BLOG.example/a?utm_source=x&id=3", "On the blog");
        var second = await _client.CommentAsync(site, "http://localhost:4000/draft#top", "On the preview");

        Assert.Equal("On the blog", Html(await _client.ThreadAsync(site, "https://blog.example/a?id=3")));
        Assert.Equal("On the preview", Html(await _client.ThreadAsync(site, "http://localhost:4000/draft")));
        Assert.NotEqual(first.Id(), second.Id());
    }

    [Fact]
    public async Task ATitleLosesControlsAndBidiOverridesAndIsEncodedOnTheNoScriptPage()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var title = "Pay\u202Egnp.exe\u202C <script>alert(1)</script>\u0007\r\nnow\u200B";

        using var post = await _client.PostCommentAsync(site, new { url, title, body = "First", author = new { name = "Ann" } });

        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        var stored = (await _client.ThreadAsync(site, url)).GetProperty("thread").GetProperty("title").GetString();
        Assert.Equal("Paygnp.exe <script>alert(1)</script> now", stored);
        var page = await _client.GetStringAsync($"/embed/{site}/thread?url={Uri.EscapeDataString(url)}");
        Assert.DoesNotContain("<script>", page);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page);
    }

    [Fact]
    public async Task ATitleLongerThanAllowedAfterCleaningIsRefused()
    {
        var site = await app.CreateSiteAsync();
        // Each U+FB03 (ffi ligature) becomes three letters once normalised: 120 characters typed, 360 stored.
        using var post = await _client.PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), title = new string('\uFB03', 120), body = "Hi", author = new { name = "Ann" } });

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.True((await post.ProblemAsync()).GetProperty("errors").TryGetProperty("title", out _));
    }

    [Fact]
    public async Task TheNoScriptPageOfAThreadStoredWithAnOffSiteAddressPointsAtTheAddressAskedFor()
    {
        var site = await app.CreateSiteAsync();
        // A thread made before this rule, or before the site changed its origins, under an identifier.
        await app.InDatabaseAsync(async db =>
        {
            var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
            db.Threads.Add(new CommentThread
            {
                SiteId = siteId, Key = new ThreadAddress("https://evil.example/", "legacy").Key, Url = "https://evil.example/",
                Identifier = "legacy", Title = "Old", CreatedAt = app.Clock.GetUtcNow().UtcDateTime,
            });
            return await db.SaveChangesAsync();
        });

        var page = await _client.GetStringAsync($"/embed/{site}/thread?url={Uri.EscapeDataString("https://blog.example/legacy")}&identifier=legacy");

        Assert.DoesNotContain("evil.example", page);
        Assert.Contains("<link rel=\"canonical\" href=\"https://blog.example/legacy\">", page);
        Assert.All(Regex.Matches(page, "href=\"([^\"]+)\"").Select(m => m.Groups[1].Value),
            href => Assert.True(href.StartsWith("https://blog.example/", StringComparison.Ordinal) || href.StartsWith('?') || href.StartsWith('/'), href));
    }

    static string Html(System.Text.Json.JsonElement thread) =>
        Regex.Replace(thread.GetProperty("comments")[0].GetProperty("html").GetString()!, "<[^>]+>", "").Trim();
}
