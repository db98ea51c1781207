using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Tests.Accounts;
using Hearth.Tests.Identity;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Community;

/// <summary>
/// A member's communities on their profile, only those they chose; the team's view of the community page with the people
/// to welcome, for the team alone; and a deleted account leaving the community page.
/// </summary>
public class ProfileCommunitiesTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "river path at dawn";
    const string Origin = "https://blog.example";

    async Task<(Browser Browser, string Email, long UserId)> AccountAsync(string name)
    {
        var (browser, email) = await app.SignedInAsync(name, Password);
        var id = await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        return (browser, email, id);
    }

    async Task CommentAsync(Browser browser, string site, string body)
    {
        var ask = $"/account/widget?site={site}&origin={Uri.EscapeDataString(Origin)}";
        using var granted = await browser.SubmitAsync(ask, "/account/widget", ("site", site), ("origin", Origin));
        var message = Regex.Match(await granted.Content.ReadAsStringAsync(), "data-message=\"([^\"]+)\"").Groups[1].Value;
        var token = JsonDocument.Parse(WebUtility.HtmlDecode(message)).RootElement.GetProperty("accessToken").GetString()!;
        using var posted = await app.CreateClient().PostAsMemberAsync(site, token, new { url = ApiCalls.NewPageUrl(), title = "Mills", body });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
    }

    Task CommunityOnAsync(string site) => app.InDatabaseAsync(db => db.Sites.Where(s => s.Name == site)
        .ExecuteUpdateAsync(s => s.SetProperty(x => x.CommunityPage, true)));

    static string Section(string profile) => profile.Contains("<h2>Communities</h2>", StringComparison.Ordinal)
        ? profile[profile.IndexOf("<h2>Communities</h2>", StringComparison.Ordinal)..profile.IndexOf("<h2>Recent comments</h2>", StringComparison.Ordinal)]
        : "";

    [Fact]
    public async Task AProfileShowsOnlyTheCommunitiesItsMemberChoseAndOnlyWhileTheSiteAllowsIt()
    {
        var rivers = await app.CreateSiteAsync(origins: [Origin]);
        var secrets = await app.CreateSiteAsync(origins: [Origin]);
        await CommunityOnAsync(rivers);
        var (browser, _, id) = await AccountAsync("Pia Profile");
        await CommentAsync(browser, rivers, "The weir was loud today.");
        await CommentAsync(browser, rivers, "And the heron was back.");
        await CommentAsync(browser, secrets, "Something I would rather keep apart.");

        // Hidden until chosen: the profile says nothing of where she comments.
        var before = await app.CreateClient().GetStringAsync($"/people/{id}");
        Assert.Equal("", Section(before));

        var form = await browser.GetAsync("/account/communities");
        Assert.Contains(rivers, form);
        Assert.Contains(secrets, form);
        Assert.DoesNotContain("checked", form);
        var riversId = await app.InDatabaseAsync(db => db.Sites.Where(s => s.Name == rivers).Select(s => s.Id).SingleAsync());
        using (var saved = await browser.SubmitAsync("/account/communities", "/account/communities", ("show", riversId.ToString(System.Globalization.CultureInfo.InvariantCulture))))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            Assert.Contains("Saved.", await saved.Content.ReadAsStringAsync());
        }

        var section = Section(await app.CreateClient().GetStringAsync($"/people/{id}"));
        Assert.Contains($"href=\"/sites/{rivers}/community\">{rivers}</a>", section);
        Assert.Contains("2 comments since", section);
        Assert.Contains("<span class=\"badge\">newcomer</span>", section);
        Assert.DoesNotContain(secrets, section);

        // A site that keeps itself off profiles is not shown, whatever the member chose.
        await app.InDatabaseAsync(db => db.Sites.Where(s => s.Name == rivers).ExecuteUpdateAsync(s => s.SetProperty(x => x.ListOnProfiles, false)));
        Assert.Equal("", Section(await app.CreateClient().GetStringAsync($"/people/{id}")));

        // Without the form's anti-forgery token nothing changes.
        using var forged = await browser.Client.PostAsync("/account/communities", new FormUrlEncodedContent([new("show", riversId.ToString(System.Globalization.CultureInfo.InvariantCulture))]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task OnlyTheSitesTeamSeesThePeopleToWelcome()
    {
        var site = await app.CreateSiteAsync(origins: [Origin]);
        var other = await app.CreateSiteAsync(origins: [Origin]);
        await CommunityOnAsync(site);
        await app.CreateClient().CommentAsync(site, ApiCalls.NewPageUrl(), "First time here, hello!", name: "Nell Newcomer");
        var (moderator, moderatorEmail, _) = await AccountAsync("Moira Team");
        await app.GrantAsync(moderatorEmail, site, Hearth.Identity.SiteRole.Moderator);
        var (otherModerator, otherEmail, _) = await AccountAsync("Otto Elsewhere");
        await app.GrantAsync(otherEmail, other, Hearth.Identity.SiteRole.Moderator);

        var team = await moderator.GetAsync($"/account/moderate/{site}/community");
        Assert.Contains("People to welcome", team);
        Assert.Contains("Nell Newcomer", team);
        Assert.Contains("First time here, hello!", team);

        using var elsewhere = await otherModerator.Client.GetAsync($"/account/moderate/{site}/community");
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.DoesNotContain("Nell", await elsewhere.Content.ReadAsStringAsync());
        using var anonymous = await app.NewBrowser().Client.GetAsync($"/account/moderate/{site}/community");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        // The public page names her (she is recently joined) but has no list of people to welcome.
        var page = await app.CreateClient().GetStringAsync($"/sites/{site}/community");
        Assert.Contains("Nell Newcomer", page);
        Assert.DoesNotContain("People to welcome", page);
        Assert.DoesNotContain("First time here", page);
    }

    [Fact]
    public async Task AGuestWhoseCommentsAnAccountClaimedIsListedOnceAsTheAccount()
    {
        var site = await app.CreateSiteAsync(origins: [Origin]);
        await CommunityOnAsync(site);
        var address = $"gus-{Guid.NewGuid():N}@mail.example";
        foreach (var body in new[] { "Written as a guest, first.", "Written as a guest, again." })
        {
            using var posted = await app.CreateClient().PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), body, author = new { name = "Gus Guest", email = address } });
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }
        var (browser, _) = await app.SignedInAsync("Gus Member", Password, address);
        using (var claimed = await browser.SubmitAsync("/account/claim", "/account/claim", ("email", address)))
        {
            Assert.Contains("2 guest comments written with", await claimed.Content.ReadAsStringAsync());
        }
        await CommentAsync(browser, site, "And now with my account.");

        using var response = await app.CreateClient().GetAsync($"/api/v1/sites/{site}/community");
        var community = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var top = Assert.Single(community.GetProperty("topContributors").EnumerateArray());
        Assert.Equal("Gus Member", top.GetProperty("name").GetString());
        Assert.Equal(3, top.GetProperty("comments").GetInt32());
        Assert.Equal(["Gus Member"], community.GetProperty("recentlyJoined").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.DoesNotContain("Gus Guest", community.GetRawText());
    }

    [Fact]
    public async Task ADeletedAccountLeavesTheCommunityPage()
    {
        var site = await app.CreateSiteAsync(origins: [Origin]);
        await CommunityOnAsync(site);
        var (browser, _, id) = await AccountAsync("Dora Leaving");
        await CommentAsync(browser, site, "I will not be here long.");
        var community = await app.CreateClient().GetStringAsync($"/api/v1/sites/{site}/community");
        Assert.Contains("Dora Leaving", community);
        Assert.Contains($"/people/{id}", community);

        using var deleted = await browser.SubmitAsync("/account/delete", "/account/delete", ("comments", "keep"), ("password", Password));
        Assert.Contains("Your account is deleted", await deleted.Content.ReadAsStringAsync());
        app.Clock.Advance(Hearth.Community.CommunityCache.Freshness);

        var after = await app.CreateClient().GetStringAsync($"/api/v1/sites/{site}/community");
        Assert.DoesNotContain("Dora", after);
        Assert.DoesNotContain($"/people/{id}", after);
        // Her kept comment still counts towards its conversation, signed by no one.
        Assert.Contains("\"people\":1", after);
    }
}
