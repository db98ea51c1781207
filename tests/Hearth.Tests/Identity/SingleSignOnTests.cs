using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Identity;

public class SingleSignOnTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task APersonTheSiteVouchesForPostsUnderTheirOwnNameWithTheBadgesTheSiteGave()
    {
        var site = await app.CreateSiteAsync();
        var secret = await app.EnableSsoAsync(site);
        var token = SsoTokens.Sign(secret, SsoTokens.Claims(app, site,
            more: [("email", "dana@shop.example"), ("badges", new[] { "verified-buyer", "shop-team" }), ("url", "https://dana.example")]));

        using var signIn = await _client.SignInAsync(site, token);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var session = JsonDocument.Parse(await signIn.Content.ReadAsStringAsync()).RootElement;
        var accessToken = session.GetProperty("accessToken").GetString()!;
        Assert.Equal("Dana Fischer", session.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal<string>(["verified-buyer", "shop-team"], [.. session.GetProperty("user").GetProperty("badges").EnumerateArray().Select(b => b.GetString()!)]);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddHours(12), session.GetProperty("expiresAt").GetDateTime(), TimeSpan.FromSeconds(1));

        var url = ApiCalls.NewPageUrl();
        // The body claims to be someone else: the session decides who speaks.
        using var post = await _client.PostAsMemberAsync(site, accessToken,
            new { url, body = "The boots held up all winter.", author = new { name = "Store Owner" } });
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);

        var comment = (await _client.ThreadAsync(site, url)).GetProperty("comments")[0];
        var author = comment.GetProperty("author");
        Assert.Equal("Dana Fischer", author.GetProperty("name").GetString());
        Assert.Equal("https://dana.example/", author.GetProperty("website").GetString());
        // The site's badges, then the one earned here: new to the site.
        Assert.Equal<string>(["verified-buyer", "shop-team", "newcomer"], [.. author.GetProperty("badges").EnumerateArray().Select(b => b.GetString()!)]);
        Assert.DoesNotContain("dana@shop.example", comment.GetRawText());
    }

    [Fact]
    public async Task SigningInAgainFindsThePersonByTheSitesUserIdAndTakesTheirNewNameAndBadges()
    {
        var site = await app.CreateSiteAsync();
        var secret = await app.EnableSsoAsync(site);
        var first = await _client.SignInAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: "u-7", name: "Ola")));
        var again = await _client.SignInAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: "u-7", name: "Ola Nordmann",
            more: [("badges", new[] { "verified-buyer" })])));
        var other = await _client.SignInAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: "u-8", name: "Ola")));

        var firstUser = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("user");
        var againUser = (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("user");
        var otherUser = (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("user");
        Assert.Equal(firstUser.GetProperty("id").GetInt64(), againUser.GetProperty("id").GetInt64());
        Assert.NotEqual(firstUser.GetProperty("id").GetInt64(), otherUser.GetProperty("id").GetInt64());
        Assert.Equal("Ola Nordmann", againUser.GetProperty("name").GetString());
        Assert.Equal("verified-buyer", againUser.GetProperty("badges")[0].GetString());
    }

    [Fact]
    public async Task AUserIdOf200CharactersIsThePromisedLongestAndFindsThePersonAgain()
    {
        var site = await app.CreateSiteAsync();
        var secret = await app.EnableSsoAsync(site);
        // A long id such as a URL with a tenant and an e-mail address in it: only the 200th character tells them apart.
        var sub = "https://shop.example/customers/" + new string('x', 169);
        var similar = sub[..^1] + "y";
        Assert.Equal(200, sub.Length);

        var first = await _client.SignInAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: sub, name: "Long Id")), from: "10.20.0.200");
        var again = await _client.SignInAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: sub, name: "Long Id")), from: "10.20.0.200");
        var other = await _client.SignInAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: similar, name: "Long Id")), from: "10.20.0.200");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("user").GetProperty("id").GetInt64();
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("user").GetProperty("id").GetInt64());
        Assert.NotEqual(id, (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("user").GetProperty("id").GetInt64());
        Assert.Equal(sub, await app.InDatabaseAsync(db => db.UserLogins.Where(l => l.UserId == id).Select(l => l.ProviderKey).SingleAsync()));
    }

    public static TheoryData<string, string> RefusedTokens => new()
    {
        { "signed with another secret", "sso_bad_signature" },
        { "for another site", "sso_wrong_audience" },
        { "expired", "sso_token_expired" },
        { "good for 25 hours", "sso_token_too_long" },
        { "without exp", "sso_token_invalid" },
        { "unsigned (alg none)", "sso_bad_signature" },
        { "signed HS512", "sso_bad_signature" },
        { "not a JWT", "sso_token_invalid" },
        { "expiring after the year 9999", "sso_token_invalid" },
        { "with a sub of 201 characters", "sso_claim_invalid" },
        { "without sub", "sso_claim_invalid" },
        { "without name", "sso_claim_invalid" },
        { "with a blank name", "sso_claim_invalid" },
        { "with an http picture", "sso_claim_invalid" },
        { "with a javascript: url", "sso_claim_invalid" },
        { "giving the moderator badge", "sso_claim_invalid" },
        { "with a badge that is not a name", "sso_claim_invalid" },
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task ATokenThatIsNotGoodIsRefusedWith401AndOpensNoSession(string kind, string code)
    {
        var site = await app.CreateSiteAsync();
        var secret = await app.EnableSsoAsync(site);
        var now = app.Clock.GetUtcNow().ToUnixTimeSeconds();
        var token = kind switch
        {
            "signed with another secret" => SsoTokens.Sign("hsso_not-the-secret-of-this-site-at-all-000000", SsoTokens.Claims(app, site)),
            "for another site" => SsoTokens.Sign(secret, SsoTokens.Claims(app, site, more: [("aud", "another-site")])),
            "expired" => SsoTokens.Sign(secret, SsoTokens.Claims(app, site, more: [("iat", now - 7200), ("exp", now - 3600)])),
            "good for 25 hours" => SsoTokens.Sign(secret, SsoTokens.Claims(app, site, more: [("exp", now + 25 * 3600)])),
            "without exp" => SsoTokens.Sign(secret, SsoTokens.Claims(app, site, more: [("exp", null)])),
            "unsigned (alg none)" => SsoTokens.Sign(secret, SsoTokens.Claims(app, site), alg: "none"),
            "signed HS512" => SsoTokens.Sign(secret, SsoTokens.Claims(app, site), alg: "HS512"),
            "not a JWT" => "this is not a token",
            "expiring after the year 9999" => SsoTokens.Sign(secret, SsoTokens.Claims(app, site, more: [("iat", long.MaxValue / 2), ("exp", long.MaxValue)])),
            "with a sub of 201 characters" => SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: new string('7', 201))),
            "without sub" => SsoTokens.Sign(secret, SsoTokens.Claims(app, site, more: [("sub", null)])),
            "without name" => SsoTokens.Sign(secret, SsoTokens.Claims(app, site, more: [("name", null)])),
            "with a blank name" => SsoTokens.Sign(secret, SsoTokens.Claims(app, site, name: " \u200B ")),
            "with an http picture" => SsoTokens.Sign(secret, SsoTokens.Claims(app, site, more: [("picture", "http://shop.example/dana.png")])),
            "with a javascript: url" => SsoTokens.Sign(secret, SsoTokens.Claims(app, site, more: [("url", "javascript:alert(1)")])),
            "giving the moderator badge" => SsoTokens.Sign(secret, SsoTokens.Claims(app, site, more: [("badges", new[] { "moderator" })])),
            "with a badge that is not a name" => SsoTokens.Sign(secret, SsoTokens.Claims(app, site, more: [("badges", new[] { "<b>VIP</b>" })])),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var sessionsBefore = await app.InDatabaseAsync(db => db.MemberSessions.CountAsync());

        using var response = await _client.SignInAsync(site, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.Equal(sessionsBefore, await app.InDatabaseAsync(db => db.MemberSessions.CountAsync()));
    }

    [Fact]
    public async Task ASiteWithoutSingleSignOnSaysSoAndAMissingTokenNamesTheField()
    {
        var site = await app.CreateSiteAsync();
        using var notSetUp = await _client.SignInAsync(site, "a.b.c");
        Assert.Equal(HttpStatusCode.Unauthorized, notSetUp.StatusCode);
        Assert.Equal("sso_not_configured", (await notSetUp.ProblemAsync()).GetProperty("code").GetString());

        await app.EnableSsoAsync(site);
        using var empty = await _client.PostAsJsonAsync($"/api/v1/sites/{site}/sessions/sso", new { token = "" });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.True((await empty.ProblemAsync()).GetProperty("errors").TryGetProperty("token", out _));
    }

    [Fact]
    public async Task AnAccessTokenOfOneSiteIsWorthlessOnAnother()
    {
        var shop = await app.CreateSiteAsync();
        var blog = await app.CreateSiteAsync();
        var accessToken = await _client.AccessTokenAsync(shop, SsoTokens.Sign(await app.EnableSsoAsync(shop), SsoTokens.Claims(app, shop)));
        var url = ApiCalls.NewPageUrl();

        using var post = await _client.PostAsMemberAsync(blog, accessToken, new { url, body = "Crossing over", author = new { name = "Dana" } });

        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        Assert.Equal("access_token_invalid", (await post.ProblemAsync()).GetProperty("code").GetString());
        Assert.Equal(0, (await _client.ThreadAsync(blog, url)).GetProperty("thread").GetProperty("commentCount").GetInt32());
    }

    [Fact]
    public async Task ABadOrEndedAccessTokenIsRefusedInsteadOfPostingAsAGuest()
    {
        var site = await app.CreateSiteAsync();
        var secret = await app.EnableSsoAsync(site);
        var accessToken = await _client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site)));
        var url = ApiCalls.NewPageUrl();
        var body = new { url, body = "Hello", author = new { name = "Guest" } };

        using var made_up = await _client.PostAsMemberAsync(site, "hat_made-up", body);
        var basic = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/comments") { Content = JsonContent.Create(body) };
        basic.Headers.Authorization = new("Basic", "ZGFuYTpzZWNyZXQ=");
        using var wrongScheme = await _client.SendAsync(basic);
        app.Clock.Advance(TimeSpan.FromHours(12) + TimeSpan.FromSeconds(1));
        using var ended = await _client.PostAsMemberAsync(site, accessToken, body);

        Assert.All(new[] { made_up, wrongScheme, ended }, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal(0, (await _client.ThreadAsync(site, url)).GetProperty("thread").GetProperty("commentCount").GetInt32());
    }

    [Fact]
    public async Task AMemberWithoutANameInTheBodyPostsAndTheirVoteCountsOnceFromAnyAddress()
    {
        var site = await app.CreateSiteAsync();
        var accessToken = await _client.AccessTokenAsync(site, SsoTokens.Sign(await app.EnableSsoAsync(site), SsoTokens.Claims(app, site)));
        var url = ApiCalls.NewPageUrl();
        var target = await _client.CommentAsync(site, url, "Vote on me");

        using var post = await _client.PostAsMemberAsync(site, accessToken, new { url, body = "No author field at all" });
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);

        foreach (var address in new[] { "203.0.113.5", "198.51.100.9" })
        {
            var vote = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/comments/{target.Id()}/vote") { Content = JsonContent.Create(new { value = 1 }) };
            vote.Headers.Authorization = new("Bearer", accessToken);
            vote.Headers.Add("X-Forwarded-For", address);
            using var voted = await _client.SendAsync(vote);
            Assert.Equal(HttpStatusCode.OK, voted.StatusCode);
        }
        var comments = (await _client.ThreadAsync(site, url, "&sort=oldest")).GetProperty("comments");
        Assert.Equal(1, comments[0].GetProperty("score").GetInt32());
    }

    [Fact]
    public async Task SigningOutEndsTheAccessTokenAndOnlyThatOne()
    {
        var site = await app.CreateSiteAsync();
        var secret = await app.EnableSsoAsync(site);
        var phone = await _client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site)));
        var laptop = await _client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site)));
        var url = ApiCalls.NewPageUrl();

        var signOut = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/sites/{site}/sessions/current");
        signOut.Headers.Authorization = new("Bearer", phone);
        using var signedOut = await _client.SendAsync(signOut);
        using var anonymous = await _client.DeleteAsync($"/api/v1/sites/{site}/sessions/current");

        Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var fromPhone = await _client.PostAsMemberAsync(site, phone, new { url, body = "After signing out" });
        using var fromLaptop = await _client.PostAsMemberAsync(site, laptop, new { url, body = "Still signed in here" });
        Assert.Equal(HttpStatusCode.Unauthorized, fromPhone.StatusCode);
        Assert.Equal(HttpStatusCode.Created, fromLaptop.StatusCode);
    }

    [Fact]
    public async Task EndedSessionsAreForgottenWithinTheHour()
    {
        var site = await app.CreateSiteAsync();
        await _client.AccessTokenAsync(site, SsoTokens.Sign(await app.EnableSsoAsync(site), SsoTokens.Claims(app, site, sub: "leaving-" + site)));
        var userId = await app.InDatabaseAsync(db => db.UserLogins.Where(l => l.ProviderKey == "leaving-" + site).Select(l => l.UserId).SingleAsync());

        app.Clock.Advance(TimeSpan.FromHours(13));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await app.InDatabaseAsync(db => db.MemberSessions.AnyAsync(s => s.UserId == userId)))
        {
            Assert.True(DateTime.UtcNow < deadline, "The ended session was still there.");
            await Task.Delay(50);
        }
    }
}
