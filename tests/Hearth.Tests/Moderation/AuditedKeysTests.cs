using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Identity;
using Hearth.Moderation;
using Hearth.Tests.Accounts;

namespace Hearth.Tests.Moderation;

/// <summary>
/// What gives someone the power to run a site is in the site's log: API tokens made and revoked, moderation pages
/// opened, and roles on the whole instance. Never the token itself.
/// </summary>
public partial class AuditedKeysTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "lantern over the weir";

    [Fact]
    public async Task MakingAndRevokingAnApiTokenAndOpeningTheModerationPageAreLoggedWithoutTheToken()
    {
        var site = await app.CreateSiteAsync();
        var (browser, email) = await app.SignedInAsync("Otto Owner", Password);
        await app.GrantAsync(email, site, SiteRole.Owner);

        using var made = await browser.SubmitAsync("/account/tokens", "/account/tokens", ("site", site));
        var token = WebUtility.HtmlDecode(NewToken().Match(await made.Content.ReadAsStringAsync()).Groups[1].Value);
        Assert.StartsWith("hat_", token);
        using var page = await browser.Client.GetAsync($"/account/moderate/{site}");
        var pageToken = PageToken().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        Assert.StartsWith("hat_", pageToken);
        var id = Regex.Match(await browser.GetAsync("/account/tokens"), "/account/tokens/(\\d+)/revoke").Groups[1].Value;
        using (await browser.SubmitAsync("/account/tokens", $"/account/tokens/{id}/revoke")) { }

        using var response = await app.CreateClient().AsModeratorAsync(pageToken, HttpMethod.Get, $"/api/v1/sites/{site}/moderation/audit");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entries = JsonDocument.Parse(text).RootElement.EnumerateArray().ToList();
        var created = Assert.Single(entries, e => e.GetProperty("action").GetString() == "api-token");
        Assert.Equal("Otto Owner", created.GetProperty("actor").GetString());
        Assert.Equal($"API token {id}", created.GetProperty("target").GetString());
        Assert.StartsWith("until ", created.GetProperty("after").GetString());
        var revoked = Assert.Single(entries, e => e.GetProperty("action").GetString() == "api-token-revoke");
        Assert.Equal($"API token {id}", revoked.GetProperty("target").GetString());
        var opened = Assert.Single(entries, e => e.GetProperty("action").GetString() == "moderation-session");
        Assert.Equal("Otto Owner", opened.GetProperty("actor").GetString());
        Assert.DoesNotContain(token, text);
        Assert.DoesNotContain(pageToken, text);
        Assert.DoesNotContain(token[4..12], text);
    }

    [Fact]
    public async Task WhoBecameAnAdminIsInEverySitesLogAndNoOtherSitesEntries()
    {
        var (first, firstToken) = await app.SiteWithModeratorAsync();
        var (second, secondToken) = await app.SiteWithModeratorAsync();
        await app.InDatabaseAsync(async db =>
        {
            db.AuditLog.Add(new AuditEntry
            {
                SiteId = null, ActorName = "command line", Action = "grant", Target = AuditEntry.UserTarget(77, "Ada Admin"),
                Before = "none", After = "admin", At = app.Clock.GetUtcNow().UtcDateTime,
            });
            return await db.SaveChangesAsync();
        });
        var url = ApiCalls.NewPageUrl();
        await app.CreateClient().CommentAsync(first, url, "A page of the first site");
        var threadId = (await app.CreateClient().ThreadAsync(first, url)).GetProperty("thread").GetProperty("id").GetInt64();
        using (var locked = await app.CreateClient().AsModeratorAsync(firstToken, HttpMethod.Post, $"/api/v1/sites/{first}/moderation/threads/{threadId}/lock"))
        {
            Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        }

        foreach (var (site, token) in new[] { (first, firstToken), (second, secondToken) })
        {
            using var response = await app.CreateClient().AsModeratorAsync(token, HttpMethod.Get, $"/api/v1/sites/{site}/moderation/audit");
            var entries = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
            var grant = Assert.Single(entries, e => e.GetProperty("action").GetString() == "grant");
            Assert.Equal("user 77 (Ada Admin)", grant.GetProperty("target").GetString());
            Assert.Equal("admin", grant.GetProperty("after").GetString());
            Assert.Equal(site == first ? 1 : 0, entries.Count(e => e.GetProperty("action").GetString() == "lock"));
        }
    }

    [GeneratedRegex("<code id=\"new-token\">([^<]+)</code>")]
    private static partial Regex NewToken();

    [GeneratedRegex("<meta name=\"hearth-token\" content=\"([^\"]+)\">")]
    private static partial Regex PageToken();
}
