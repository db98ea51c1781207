using Hearth.Conversations;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Web;

public class BadInputTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    async Task<(int Threads, int Comments)> CountsAsync() =>
        await app.InDatabaseAsync(async db => (await db.Threads.CountAsync(), await db.Comments.CountAsync()));

    async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? field = null, string? code = null)
    {
        Assert.Equal(status, response.StatusCode);
        var problem = await response.ProblemAsync();
        if (field is not null)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"the problem should name '{field}': {problem}");
        }
        if (code is not null)
        {
            Assert.Equal(code, problem.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task UnknownSiteIsNotFound()
    {
        await AssertProblemAsync(await _client.GetAsync("/api/v1/sites/no-such-site/thread?url=https://a.example/"), HttpStatusCode.NotFound, code: "site_not_found");
        await AssertProblemAsync(await _client.PostCommentAsync("no-such-site", new { url = "https://a.example/", body = "x", author = new { name = "A" } }),
            HttpStatusCode.NotFound, code: "site_not_found");
    }

    [Theory]
    [InlineData("{\"url\": \"https://blog.example/a\", ")]
    [InlineData("not json at all")]
    [InlineData("{\"url\": \"https://blog.example/a\", \"body\": 42, \"author\": {\"name\": \"A\"}}")]
    [InlineData("{\"url\": \"https://blog.example/a\", \"parentId\": \"seven\", \"body\": \"x\"}")]
    public async Task MalformedJsonIsABadRequest(string json)
    {
        var site = await app.CreateSiteAsync();
        var response = await _client.PostAsync($"/api/v1/sites/{site}/comments", new StringContent(json, Encoding.UTF8, "application/json"));
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, code: "malformed_json");
    }

    [Theory]
    [InlineData("", "body")]
    [InlineData("   \n  ", "body")]
    public async Task EmptyCommentIsRefusedNamingTheBody(string body, string field)
    {
        var site = await app.CreateSiteAsync();
        await AssertProblemAsync(await _client.PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), body, author = new { name = "A" } }),
            HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task OverlongCommentIsRefusedNamingTheBody()
    {
        var site = await app.CreateSiteAsync();
        var response = await _client.PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), body = new string('a', 10_001), author = new { name = "A" } });
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "body");
        var justRight = await _client.PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), body = new string('a', 10_000), author = new { name = "A" } });
        Assert.Equal(HttpStatusCode.Created, justRight.StatusCode);
    }

    [Fact]
    public async Task RequestBodiesOver64KilobytesAreRefused()
    {
        var site = await app.CreateSiteAsync();
        var before = await CountsAsync();
        var response = await _client.PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), body = new string('a', 70_000), author = new { name = "A" } });
        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, code: "request_too_large");
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData(null, "author.name")]
    [InlineData("", "author.name")]
    [InlineData("\u202E\u200B ", "author.name")]
    public async Task GuestsMustGiveAName(string? name, string field)
    {
        var site = await app.CreateSiteAsync();
        await AssertProblemAsync(await _client.PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), body = "x", author = new { name } }),
            HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task NamesLongerThan80CharactersAreRefused()
    {
        var site = await app.CreateSiteAsync();
        await AssertProblemAsync(await _client.PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), body = "x", author = new { name = new string('n', 81) } }),
            HttpStatusCode.BadRequest, "author.name");
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://files.example/")]
    [InlineData("data:text/html,hi")]
    [InlineData("not a url")]
    public async Task WebsitesMustBeHttpOrHttps(string website)
    {
        var site = await app.CreateSiteAsync();
        await AssertProblemAsync(await _client.PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), body = "x", author = new { name = "A", website } }),
            HttpStatusCode.BadRequest, "author.website");
    }

    /// <summary>
    /// Letters beyond ASCII are stored escaped ("é" is "%C3%A9", six characters), so an address within its limit as
    /// typed can be several times over it as stored. Measured as typed, the page's address passed and its thread's insert
    /// failed (on PostgreSQL, a whole batch of others' posts with it), or was stored over its column's length (SQLite).
    /// </summary>
    [Fact]
    public async Task APageAddressOrWebsiteOverItsLimitOnceEscapedIsRefusedAndNothingIsStored()
    {
        var site = await app.CreateSiteAsync();
        var before = await CountsAsync();
        var page = ApiCalls.NewPageUrl() + "/" + new string('é', 1_900);
        Assert.True(page.Length < ThreadAddress.MaxUrlLength);
        await AssertProblemAsync(await _client.PostCommentAsync(site, new { url = page, body = "x", author = new { name = "A" } }),
            HttpStatusCode.BadRequest, "url");
        var website = "https://ann.example/" + new string('é', 250);
        Assert.True(website.Length < CommentInput.MaxWebsiteLength);
        await AssertProblemAsync(await _client.PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), body = "x", author = new { name = "A", website } }),
            HttpStatusCode.BadRequest, "author.website");
        Assert.Equal(before, await CountsAsync());
        var typedShort = ApiCalls.NewPageUrl() + "/" + new string('é', 300);
        Assert.Equal(HttpStatusCode.Created, (await _client.PostCommentAsync(site, new { url = typedShort, body = "x", author = new { name = "A" } })).StatusCode);
    }

    [Fact]
    public async Task InvalidEmailIsRefused()
    {
        var site = await app.CreateSiteAsync();
        await AssertProblemAsync(await _client.PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), body = "x", author = new { name = "A", email = "not-an-address" } }),
            HttpStatusCode.BadRequest, "author.email");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("/relative/path")]
    [InlineData("mailto:someone@example.org")]
    [InlineData("javascript:alert(1)")]
    public async Task ThePageUrlMustBeAnAbsoluteWebAddress(string? url)
    {
        var site = await app.CreateSiteAsync();
        await AssertProblemAsync(await _client.PostCommentAsync(site, new { url, body = "x", author = new { name = "A" } }), HttpStatusCode.BadRequest, "url");
        await AssertProblemAsync(await _client.GetAsync($"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url ?? "")}"), HttpStatusCode.BadRequest, "url");
    }

    [Fact]
    public async Task AParentFromAnotherThreadIsRefused()
    {
        var site = await app.CreateSiteAsync();
        var elsewhere = await _client.CommentAsync(site, ApiCalls.NewPageUrl(), "in another thread");
        var url = ApiCalls.NewPageUrl();
        await _client.CommentAsync(site, url, "here");
        var before = await CountsAsync();

        var response = await _client.PostCommentAsync(site, new { url, parentId = elsewhere.Id(), body = "reply", author = new { name = "A" } });
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "parentId");
        var toNewThread = await _client.PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), parentId = elsewhere.Id(), body = "reply", author = new { name = "A" } });
        await AssertProblemAsync(toNewThread, HttpStatusCode.BadRequest, "parentId");
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("&sort=random", "sort")]
    [InlineData("&cursor=%%%", "cursor")]
    [InlineData("&cursor=MXwwfDB8MA", "cursor")]
    [InlineData("&limit=0", "limit")]
    [InlineData("&limit=500", "limit")]
    public async Task BadReadParametersAreNamed(string query, string field)
    {
        var site = await app.CreateSiteAsync();
        await AssertProblemAsync(await _client.GetAsync($"/api/v1/sites/{site}/thread?url=https://blog.example/a{query}"), HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task AWriteFromAPageOutsideTheSiteOriginsIsForbiddenAndStoresNothing()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var before = await CountsAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/comments")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { url = ApiCalls.NewPageUrl(), body = "cross-site", author = new { name = "Mallory" } }),
        };
        request.Headers.Add("Origin", "https://evil.example");
        await AssertProblemAsync(await _client.SendAsync(request), HttpStatusCode.Forbidden, code: "origin_not_allowed");
        Assert.Equal(before, await CountsAsync());

        var fromSite = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/comments")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { url = ApiCalls.NewPageUrl(), body = "same site", author = new { name = "Ann" } }),
        };
        fromSite.Headers.Add("Origin", "https://blog.example");
        var response = await _client.SendAsync(fromSite);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("https://blog.example", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task AFailedPostToANewPageCreatesNoThread()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        await _client.PostCommentAsync(site, new { url, body = "", author = new { name = "A" } });
        await _client.PostCommentAsync(site, new { url, body = "x", author = new { name = "" } });
        Assert.False(await app.InDatabaseAsync(db => db.Threads.AnyAsync(t => t.Url == url)));
    }
}

public class TightRateLimitApp : HearthApp
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Hearth:RateLimits:CommentWritesPerMinute"] = "3",
    };
}

public class RateLimitTests(TightRateLimitApp app) : IClassFixture<TightRateLimitApp>
{
    [Fact]
    public async Task TooManyPostsFromOneClientGetA429WithRetryAfter()
    {
        var client = app.CreateClient();
        var site = await app.CreateSiteAsync();
        for (var i = 0; i < 3; i++)
        {
            var ok = await client.PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), body = $"post {i}", author = new { name = "Flood" } }, from: "203.0.113.50");
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }
        var limited = await client.PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), body = "one more", author = new { name = "Flood" } }, from: "203.0.113.50");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("rate_limited", (await limited.ProblemAsync()).GetProperty("code").GetString());

        var someoneElse = await client.PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), body = "hello", author = new { name = "Calm" } }, from: "203.0.113.51");
        Assert.Equal(HttpStatusCode.Created, someoneElse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/sites/{site}/thread?url=https://blog.example/x")).StatusCode);
    }
}

public class BlankCommentTests(HearthApp app) : IClassFixture<HearthApp>
{
    [Theory]
    [InlineData("&#x200B;")]
    [InlineData("\u200B\u200B")]
    [InlineData("&#8203; &#x202E;")]
    public async Task ACommentReadersWouldSeeAsEmptyIsRefused(string body)
    {
        var client = app.CreateClient();
        var site = await app.CreateSiteAsync();
        var response = await client.PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), body, author = new { name = "Blank" } });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty("body", out _));
    }
}
