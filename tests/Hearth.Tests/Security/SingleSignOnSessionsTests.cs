using System.Net;
using System.Text.Json;
using Hearth.Tests.Identity;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Security;

/// <summary>
/// README, "Sign people in from your own site": the token's exp bounds when it can be traded for a session; the
/// session then lasts 12 hours (or until signed out, or the site's secret is rotated), however short the token was.
/// </summary>
public class SsoSessionsLastTwelveHoursWhateverTheTokensLifeTests(HearthApp app) : IClassFixture<HearthApp>
{
    [Fact]
    public async Task ATokenGoodForAMinuteOpensASessionOfTwelveHoursAndCannotBeTradedAfterItsMinute()
    {
        var site = await app.CreateSiteAsync();
        var secret = await app.EnableSsoAsync(site);
        var now = app.Clock.GetUtcNow().ToUnixTimeSeconds();
        var token = SsoTokens.Sign(secret, SsoTokens.Claims(app, site, more: [("exp", now + 60)]));
        var client = app.CreateClient();

        using var signIn = await client.SignInAsync(site, token);
        var session = JsonDocument.Parse(await signIn.Content.ReadAsStringAsync()).RootElement;
        var accessToken = session.GetProperty("accessToken").GetString()!;
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddHours(12), session.GetProperty("expiresAt").GetDateTime(), TimeSpan.FromSeconds(1));

        app.Clock.Advance(TimeSpan.FromMinutes(5));
        using var tradedLate = await client.SignInAsync(site, token);
        Assert.Equal(HttpStatusCode.Unauthorized, tradedLate.StatusCode);
        Assert.Equal("sso_token_expired", (await tradedLate.ProblemAsync()).GetProperty("code").GetString());

        app.Clock.Advance(TimeSpan.FromHours(11.8));
        using var late = await client.PostAsMemberAsync(site, accessToken, new { url = ApiCalls.NewPageUrl(), body = "Still me after eleven hours" });
        Assert.Equal(HttpStatusCode.Created, late.StatusCode);

        app.Clock.Advance(TimeSpan.FromMinutes(10));
        using var ended = await client.PostAsMemberAsync(site, accessToken, new { url = ApiCalls.NewPageUrl(), body = "After twelve hours" });
        Assert.Equal(HttpStatusCode.Unauthorized, ended.StatusCode);
    }
}

/// <summary>RFC 7515 4.1.11: a token that makes a header extension critical is refused by a reader that does not know it; Hearth knows none.</summary>
public class SsoTokensWithCriticalExtensionsAreRefusedTests(HearthApp app) : IClassFixture<HearthApp>
{
    public static TheoryData<string> CriticalHeaders => new()
    {
        """{"alg":"HS256","typ":"JWT","crit":["hearth-unknown"],"hearth-unknown":true}""",
        """{"alg":"HS256","crit":["b64"],"b64":false}""",
        """{"alg":"HS256","crit":["exp"]}""",
        """{"alg":"HS256","crit":[]}""",
    };

    [Theory]
    [MemberData(nameof(CriticalHeaders))]
    public async Task ATokenWithACritHeaderIsRefusedWith401AndOpensNoSession(string header)
    {
        var site = await app.CreateSiteAsync();
        var secret = await app.EnableSsoAsync(site);
        var claims = SsoTokens.Claims(app, site, sub: "crit-" + site);
        var client = app.CreateClient();

        using var refused = await client.SignInAsync(site, SsoTokens.Sign(secret, claims, header: JsonDocument.Parse(header).RootElement));
        using var plain = await client.SignInAsync(site, SsoTokens.Sign(secret, claims, header: JsonDocument.Parse("""{"alg":"HS256","typ":"JWT"}""").RootElement));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var problem = await refused.ProblemAsync();
        Assert.Equal("sso_token_invalid", problem.GetProperty("code").GetString());
        Assert.Contains("crit", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(1, await app.InDatabaseAsync(db => db.MemberSessions.CountAsync(s => db.UserLogins.Any(l => l.ProviderKey == "crit-" + site && l.UserId == s.UserId))));
    }
}
