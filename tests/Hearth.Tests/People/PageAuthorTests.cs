using System.Net;
using System.Text.Json;
using Hearth.Identity;
using Hearth.Tests.Identity;
using Hearth.Tests.Moderation;

namespace Hearth.Tests.People;

/// <summary>
/// A page whose snippet names its author (data-author, the read's author=) shows "author" on that team member's
/// comments there; it can name only the site's team, and names it for the read alone.
/// </summary>
public class PageAuthorTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    /// <summary>A site whose moderator Ana Writer and reader Rita Reader are signed in by the site; their access tokens.</summary>
    async Task<(string Site, string Ana, string Rita)> NewsroomAsync()
    {
        var (site, _, secret) = await app.SiteWithTeamMemberAsync("Ana Writer", SiteRole.Moderator);
        var ana = await _client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: $"moderator-{site}", name: "Ana Writer")));
        var rita = await _client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: "rita", name: "Rita Reader")));
        return (site, ana, rita);
    }

    async Task<long> PostAsync(string site, string token, string url, string body, long? parentId = null)
    {
        using var response = await _client.PostAsMemberAsync(site, token, new { url, body, parentId });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Id();
    }

    async Task<Dictionary<long, string[]>> BadgesAsync(string site, string url, string? author = null)
    {
        var thread = await _client.ThreadAsync(site, url, author is null ? null : "&author=" + Uri.EscapeDataString(author));
        return thread.GetProperty("comments").EnumerateArray().ToDictionary(c => c.Id(),
            c => c.GetProperty("author").GetProperty("badges").EnumerateArray().Select(b => b.GetString()!).ToArray());
    }

    [Fact]
    public async Task TheTeamMemberThePageNamesWearsAuthorOnTheirCommentsThereAndNobodyElseDoes()
    {
        var (site, ana, rita) = await NewsroomAsync();
        var article = ApiCalls.NewPageUrl();
        var question = (await _client.CommentAsync(site, article, "Who took the photographs of the harbour?", name: "Gus")).Id();
        var answer = await PostAsync(site, ana, article, "I did, from the lighthouse at dawn.", question);
        var thanks = await PostAsync(site, rita, article, "They are wonderful, thank you.", answer);

        // The snippet's name, in any case and with stray spaces, finds her.
        var named = await BadgesAsync(site, article, "  ana WRITER ");
        Assert.Equal([RoleBadges.Author, RoleBadges.Moderator], named[answer]);
        Assert.DoesNotContain(RoleBadges.Author, named[thanks]);
        Assert.DoesNotContain(RoleBadges.Author, named[question]);

        // A page that names nobody, or somebody who is not on the site's team, marks nobody as its author.
        Assert.Equal([RoleBadges.Moderator], (await BadgesAsync(site, article))[answer]);
        var notTeam = await BadgesAsync(site, article, "Rita Reader");
        Assert.All(notTeam.Values, badges => Assert.DoesNotContain(RoleBadges.Author, badges));
        Assert.All((await BadgesAsync(site, article, "Gus")).Values, badges => Assert.DoesNotContain(RoleBadges.Author, badges));

        // Another site's page cannot borrow her: she is not on that site's team.
        var other = await app.CreateSiteAsync();
        var elsewhere = ApiCalls.NewPageUrl();
        await _client.CommentAsync(other, elsewhere, "Nothing to do with the newsroom.", name: "Otto");
        Assert.All((await BadgesAsync(other, elsewhere, "Ana Writer")).Values, badges => Assert.DoesNotContain(RoleBadges.Author, badges));
    }

    [Fact]
    public async Task ANameLongerThanAnyoneWritesUnderIsRefusedAndNothingChanges()
    {
        var (site, ana, _) = await NewsroomAsync();
        var article = ApiCalls.NewPageUrl();
        var id = await PostAsync(site, ana, article, "A note from the desk.");

        using var response = await _client.GetAsync($"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(article)}&author={new string('a', 101)}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty("author", out _));
        Assert.Equal([RoleBadges.Author, RoleBadges.Moderator], (await BadgesAsync(site, article, "Ana Writer"))[id]);
    }
}

/// <summary>
/// Naming the page's author costs one query on the site's team once a minute per node, and made-up names, however
/// many, cost nothing more: they name nobody, so they are served the page everyone else reads.
/// </summary>
public class PageAuthorReadCostTests(MeasuredHearthApp app) : IClassFixture<MeasuredHearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    Task<IReadOnlyList<string>> ReadAsync(string site, string url, string? author) => ReadAtOnceAsync(site, url, [author]);

    /// <summary>The commands of reads sent all at once, one per name.</summary>
    async Task<IReadOnlyList<string>> ReadAtOnceAsync(string site, string url, string?[] authors)
    {
        app.Meter.Start();
        var responses = await Task.WhenAll(authors.Select(author => _client.GetAsync(
            $"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}&sort=oldest" + (author is null ? "" : "&author=" + Uri.EscapeDataString(author)))));
        var commands = app.Meter.Stop();
        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode));
        return [.. commands.Select(c => c.Sql)];
    }

    static bool OnTheTeam(string sql) => sql.Contains("\"SiteMembers\"", StringComparison.Ordinal) && !sql.Contains("\"People\"", StringComparison.Ordinal);

    [Fact]
    public async Task TheTeamIsReadOnceAMinuteAndNamesOfNobodyShareThePlainPage()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        await _client.CommentAsync(site, url, "A reader's first thought.", name: "Pia");
        Assert.NotEmpty(await ReadAsync(site, url, null));

        var named = await ReadAsync(site, url, "Ana Writer");
        Assert.Single(named);
        Assert.Contains("\"SiteMembers\"", named[0]);
        for (var i = 0; i < 20; i++)
        {
            Assert.Empty(await ReadAsync(site, url, $"Made Up {i}"));
        }

        // A minute on, the team is read again, once for reads that all find it old at the same moment (the page itself
        // may be read again too, if the badges' window turned meanwhile).
        app.Clock.Advance(Hearth.People.PageAuthor.Freshness);
        Assert.Single(await ReadAtOnceAsync(site, url, [.. Enumerable.Range(0, 12).Select(i => $"Someone {i}")]), OnTheTeam);
    }
}
