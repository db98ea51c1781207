using System.Net.Http.Json;
using System.Net;
using Hearth.Tests.Accounts;
using Hearth.Tests.Identity;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Moderation;

/// <summary>Limits the address alone cannot enforce: one author on many connections, and one page under a crowd.</summary>
public class PostingLimitsApp : AccountsApp
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["Hearth:RateLimits:CommentsPerAuthorPerMinute"] = "3",
        ["Hearth:RateLimits:CommentsPerThreadPerMinute"] = "5",
        ["Hearth:RateLimits:CommentsPerAddressOnThreadPerMinute"] = "2",
        ["Hearth:RateLimits:SignUpsPerHour"] = "2",
    };
}

public class PostingLimitsTests(PostingLimitsApp app) : IClassFixture<PostingLimitsApp>
{
    readonly HttpClient _client = app.CreateClient();
    static int _address = 10;

    /// <summary>A different client address per call, so only the limit under test can bite.</summary>
    static string NewAddress() => $"198.51.100.{Interlocked.Increment(ref _address)}";

    static async Task AssertLimitedAsync(HttpResponseMessage response, string words)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 10 }, $"Retry-After: {response.Headers.RetryAfter}");
        var problem = await response.ProblemAsync();
        Assert.Equal("rate_limited", problem.GetProperty("code").GetString());
        Assert.Contains(words, problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("retryAfter").GetInt32() >= 1);
    }

    [Fact]
    public async Task AGuestChangingConnectionsIsStillLimitedByNameAndEmail()
    {
        var site = await app.CreateSiteAsync();
        var author = new { name = "Hopper", email = "hop@mail.example" };
        for (var i = 0; i < 3; i++)
        {
            using var ok = await _client.PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), body = $"Thought number {i}", author }, from: NewAddress());
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }
        var url = ApiCalls.NewPageUrl();
        using var limited = await _client.PostCommentAsync(site, new { url, body = "And one more thought", author }, from: NewAddress());
        await AssertLimitedAsync(limited, "faster than this site allows");
        Assert.False(await app.InDatabaseAsync(db => db.Threads.AnyAsync(t => t.Url == url)), "A refused post creates nothing.");

        using var other = await _client.PostCommentAsync(site, new { url, body = "Someone else entirely", author = new { name = "Calm" } }, from: NewAddress());
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);

        // The limit is per site: the same name elsewhere is a different author.
        var elsewhere = await app.CreateSiteAsync();
        using var there = await _client.PostCommentAsync(elsewhere, new { url, body = "Hello over here", author }, from: NewAddress());
        Assert.Equal(HttpStatusCode.Created, there.StatusCode);
    }

    [Fact]
    public async Task AMemberIsLimitedByAccountWhateverTheConnection()
    {
        var site = await app.CreateSiteAsync();
        var secret = await app.EnableSsoAsync(site);
        var token = await _client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: "busy-member", name: "Busy Member")));
        for (var i = 0; i < 3; i++)
        {
            using var ok = await _client.PostAsMemberAsync(site, token, new { url = ApiCalls.NewPageUrl(), body = $"Member note {i}" });
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }
        using var limited = await _client.PostAsMemberAsync(site, token, new { url = ApiCalls.NewPageUrl(), body = "Member note again" });
        await AssertLimitedAsync(limited, "faster than this site allows");
    }

    [Fact]
    public async Task ACrowdOnOnePageIsSlowedWhileOtherPagesAndReadsCarryOn()
    {
        var site = await app.CreateSiteAsync();
        var busy = ApiCalls.NewPageUrl();
        for (var i = 0; i < 5; i++)
        {
            using var ok = await _client.PostCommentAsync(site, new { url = busy, body = $"Crowd voice {i}", author = new { name = $"Voice {i}" } }, from: NewAddress());
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }
        using var limited = await _client.PostCommentAsync(site, new { url = busy, body = "Me too", author = new { name = "Late voice" } }, from: NewAddress());
        await AssertLimitedAsync(limited, "many comments at once");

        Assert.Equal(5, (await _client.ThreadAsync(site, busy)).GetProperty("comments").GetArrayLength());
        using var calm = await _client.PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), body = "Quiet page", author = new { name = "Late voice" } }, from: NewAddress());
        Assert.Equal(HttpStatusCode.Created, calm.StatusCode);
    }

    [Fact]
    public async Task OneAddressCannotSpendAPagesWholeBudgetAndAnIPv6HostCountsByItsBlock()
    {
        var site = await app.CreateSiteAsync();
        var page = ApiCalls.NewPageUrl();
        // Two addresses of one /64: one client, however many names it takes.
        using var first = await _client.PostCommentAsync(site, new { url = page, body = "One voice", author = new { name = "Name A" } }, from: "2001:db8:7:1::10");
        using var second = await _client.PostCommentAsync(site, new { url = page, body = "Another voice", author = new { name = "Name B" } }, from: "2001:db8:7:1::ffff");
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, second.StatusCode));
        using var third = await _client.PostCommentAsync(site, new { url = page, body = "A third voice", author = new { name = "Name C" } }, from: "2001:db8:7:1:abcd::1");
        await AssertLimitedAsync(third, "faster than it allows");

        // Others still have the rest of the page's budget; the same block may still write elsewhere.
        using var other = await _client.PostCommentAsync(site, new { url = page, body = "Someone else", author = new { name = "Other" } }, from: NewAddress());
        using var elsewhere = await _client.PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), body = "Elsewhere", author = new { name = "Name D" } }, from: "2001:db8:7:1::10");
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (other.StatusCode, elsewhere.StatusCode));
    }

    [Fact]
    public async Task TheSitesTeamIsNeverSlowedAndARetriedPostGetsItsAnswerAgain()
    {
        var (site, token, _) = await app.SiteWithTeamMemberAsync("Team Member", Hearth.Identity.SiteRole.Moderator);
        var page = ApiCalls.NewPageUrl();
        for (var i = 0; i < 6; i++)
        {
            using var ok = await _client.PostAsMemberAsync(site, token, new { url = page, body = $"Pinned notice {i}" });
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        var author = new { name = "Retrier", email = "retry@mail.example" };
        var pages = Enumerable.Range(0, 3).Select(_ => ApiCalls.NewPageUrl()).ToList();
        long last = 0;
        for (var i = 0; i < 3; i++)
        {
            using var ok = await _client.PostCommentAsync(site, new { url = pages[i], body = $"Post {i}", author }, idempotencyKey: $"key-{site}-{i}", from: NewAddress());
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
            last = (await ok.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).Id();
        }
        // The answer to the last post was lost; sending it again is not a fourth post.
        using var retried = await _client.PostCommentAsync(site, new { url = pages[2], body = "Post 2", author }, idempotencyKey: $"key-{site}-2", from: NewAddress());
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal(last, (await retried.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).Id());
        using var fourth = await _client.PostCommentAsync(site, new { url = pages[0], body = "Post 3", author }, idempotencyKey: $"key-{site}-3", from: NewAddress());
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
    }

    [Fact]
    public async Task SignUpsFromOneConnectionAreLimitedPerHour()
    {
        var browser = app.NewBrowser();
        await browser.SignUpAsync("first-limit@mail.example", "First", "a long enough password 1");
        await browser.SignUpAsync("second-limit@mail.example", "Second", "a long enough password 2");
        using var third = await browser.SubmitAsync("/account/signup", "/account/signup",
            ("email", "third-limit@mail.example"), ("name", "Third"), ("password", "a long enough password 3"));
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.NotNull(third.Headers.RetryAfter);
        Assert.False(await app.InDatabaseAsync(db => db.Users.AnyAsync(u => u.Email == "third-limit@mail.example")));
    }
}
