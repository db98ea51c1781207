using System.Text.Json;
using Hearth.People;
using Hearth.Tests.Identity;

namespace Hearth.Tests.People;

/// <summary>Badges earned on the site show on every comment of their author, old ones too, within the cache's stated lag.</summary>
public class EarnedBadgesTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    async Task<long> PostAsync(string site, string url, string name, long? parentId = null)
    {
        var comment = await _client.CommentAsync(site, url, $"Said {Guid.NewGuid():N}", parentId, name);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        return comment.Id();
    }

    async Task<string[]> BadgesAsync(string site, string url, long id)
    {
        var thread = await _client.ThreadAsync(site, url);
        var comment = thread.GetProperty("comments").EnumerateArray().Single(c => c.Id() == id);
        return [.. comment.GetProperty("author").GetProperty("badges").EnumerateArray().Select(b => b.GetString()!)];
    }

    [Fact]
    public async Task ANewcomerIsMarkedForTwoWeeksAndARegularForGoodOnTheirOldCommentsToo()
    {
        var site = await app.CreateSiteAsync();
        var old = ApiCalls.NewPageUrl();
        var elsewhere = ApiCalls.NewPageUrl();
        var name = $"Liv {Guid.NewGuid():N}"[..10];
        var first = await PostAsync(site, old, name);
        Assert.Equal([EarnedBadges.Newcomer], await BadgesAsync(site, old, first));

        app.Clock.Advance(TimeSpan.FromDays(14));
        Assert.Empty(await BadgesAsync(site, old, first));

        // Twenty comments on ten days, answered three times, all on another page: this page is not written to.
        for (var day = 0; day < 10; day++)
        {
            await PostAsync(site, elsewhere, name);
            await PostAsync(site, elsewhere, name);
            app.Clock.Advance(TimeSpan.FromDays(1));
        }
        var answered = await PostAsync(site, elsewhere, name);
        Assert.Empty(await BadgesAsync(site, old, first));
        for (var i = 0; i < 3; i++)
        {
            await _client.CommentAsync(site, elsewhere, $"Welcome back {i}", answered, "Neighbour");
        }
        Assert.Equal(2, (await app.PersonAsync(site, name)).TrustLevel);

        // The old page was cached with the badges it had; within the stated lag it shows the new one.
        app.Clock.Advance(EarnedBadges.Lag);
        Assert.Equal([EarnedBadges.Regular], await BadgesAsync(site, old, first));
        Assert.Equal([EarnedBadges.Regular], await BadgesAsync(site, elsewhere, answered));
        Assert.Equal([EarnedBadges.Newcomer], await BadgesAsync(site, elsewhere,
            (await _client.ThreadAsync(site, elsewhere)).GetProperty("comments").EnumerateArray()
                .First(c => c.GetProperty("author").GetProperty("name").GetString() == "Neighbour").Id()));
    }

    [Fact]
    public async Task ASiteCannotHandOutAnEarnedBadgeThroughSingleSignOn()
    {
        var site = await app.CreateSiteAsync();
        var secret = await app.EnableSsoAsync(site);
        using var response = await _client.SignInAsync(site, SsoTokens.Sign(secret,
            SsoTokens.Claims(app, site, name: "Sly Sam", more: [("badges", new[] { "regular" })])));
        Assert.Equal("sso_claim_invalid", (await response.ProblemAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task ThePageWithoutScriptShowsTheBadgesToo()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        await PostAsync(site, url, "Nora");
        var html = await _client.GetStringAsync($"/embed/{site}/thread?url={Uri.EscapeDataString(url)}");
        Assert.Contains("<span class=\"hearth-badge\">newcomer</span>", html);
    }
}

/// <summary>What a thread read costs with badges earned: one query on People per page, however many authors.</summary>
public class EarnedBadgesReadCostTests(MeasuredHearthApp app) : IClassFixture<MeasuredHearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    async Task<IReadOnlyList<string>> ReadAsync(string site, string url)
    {
        app.Meter.Start();
        using var response = await _client.GetAsync($"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}");
        var commands = app.Meter.Stop();
        Assert.True(response.IsSuccessStatusCode);
        return [.. commands.Select(c => c.Sql)];
    }

    [Fact]
    public async Task APageOfThirtyAuthorsSendsAsManyCommandsAsAPageOfOneWithOneOnPeople()
    {
        var site = await app.CreateSiteAsync();
        var one = ApiCalls.NewPageUrl();
        var many = ApiCalls.NewPageUrl();
        for (var i = 0; i < 30; i++)
        {
            var root = await _client.CommentAsync(site, one, $"Alone {i}", name: "Solo");
            await _client.CommentAsync(site, one, $"Alone again {i}", root.Id(), "Solo");
            var top = await _client.CommentAsync(site, many, $"Crowd {i}", name: $"Person {i}");
            await _client.CommentAsync(site, many, $"Crowd answer {i}", top.Id(), $"Other {i}");
        }

        var few = await ReadAsync(site, one);
        var crowd = await ReadAsync(site, many);
        Assert.Equal(few.Count, crowd.Count);
        Assert.Single(crowd, c => c.Contains("\"People\"", StringComparison.Ordinal));
        // Served from the cache: nothing at all.
        Assert.Empty(await ReadAsync(site, many));
    }
}
