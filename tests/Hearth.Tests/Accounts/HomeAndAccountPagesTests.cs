using System.Net;
using Hearth.Identity;

namespace Hearth.Tests.Accounts;

public class HomeAndAccountPagesTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "lantern by the gate";

    [Fact]
    public async Task TheHomePageLeadsToSigningInSigningUpTheAccountAndTheSitesOneModerates()
    {
        using var response = await app.CreateClient().GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        foreach (var link in new[] { "/account/signin", "/account/signup", "/account", "/account/moderate", "/demo" })
        {
            Assert.Contains($"href=\"{link}\"", page);
        }
        // Nothing runs on it: no script at all, and its style only by the nonce of its own policy.
        Assert.DoesNotContain("<script", page);
        Assert.Contains("style-src 'nonce-", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task TheAccountPageListsTheSitesAPersonRunsWithAWayToModerateEach()
    {
        var mine = await app.CreateSiteAsync();
        var moderated = await app.CreateSiteAsync();
        var others = await app.CreateSiteAsync();
        var (browser, email) = await app.SignedInAsync("Tamsin Reed", Password);
        await app.GrantAsync(email, mine, SiteRole.Owner);
        await app.GrantAsync(email, moderated, SiteRole.Moderator);

        var page = await browser.GetAsync("/account");

        Assert.Contains("<h2>Your sites</h2>", page);
        Assert.Contains($"<a href=\"/account/moderate/{mine}\">Moderate {mine}</a>", page);
        Assert.Contains($"<a href=\"/account/moderate/{moderated}\">Moderate {moderated}</a>", page);
        Assert.DoesNotContain(others, page);
    }

    [Fact]
    public async Task SomeoneWhoRunsNoSiteSeesNoListOfSites()
    {
        var (browser, _) = await app.SignedInAsync("Ivo Marsh", Password);

        Assert.DoesNotContain("Your sites", await browser.GetAsync("/account"));
    }

    [Fact]
    public async Task EachSessionIsShownAsItsBrowserAndSystemAndOnlyThatIsKept()
    {
        const string firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
        const string safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1";
        var (phone, email) = await app.ConfirmedAccountAsync("Noor Haddad", Password);
        phone.Client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", safari);
        using (await phone.SignInAsync(email, Password)) { }
        var laptop = app.NewBrowser();
        laptop.Client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", firefox);
        using (await laptop.SignInAsync(email, Password)) { }

        var page = await laptop.GetAsync("/account");

        Assert.Contains("Firefox on Windows", page);
        Assert.Contains("Safari on iPhone", page);
        Assert.DoesNotContain("Gecko/20100101", page);
        var kept = await app.InDatabaseAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.MemberSessions.Where(s => s.UserId == db.Users.Where(u => u.Email == email).Select(u => u.Id).First()).Select(s => s.Device)));
        Assert.Equal(["Firefox on Windows", "Safari on iPhone"], kept.Order());
    }
}
