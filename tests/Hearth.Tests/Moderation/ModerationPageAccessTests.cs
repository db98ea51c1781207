using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Hearth.Identity;
using Hearth.Tests.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Moderation;

/// <summary>Who may open the moderation page, and what its own session can and cannot do.</summary>
public partial class ModerationPageAccessTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "towpath at first light";

    static Task<HttpResponseMessage> QueueAsync(HttpClient client, string site, string token) =>
        client.AsModeratorAsync(token, HttpMethod.Get, $"/api/v1/sites/{site}/moderation/queue");

    [Fact]
    public async Task OnlyTheSitesModeratorsOpenItAndItsSessionServesThatSiteUntilSignOut()
    {
        var site = await app.CreateSiteAsync();
        var other = await app.CreateSiteAsync();
        var (browser, email) = await app.ConfirmedAccountAsync("Mo Derator", Password);

        using var anonymous = await browser.Client.GetAsync($"/account/moderate/{site}");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/account/signin?returnUrl=", anonymous.Headers.Location!.OriginalString);

        using var signIn = await browser.SignInAsync(email, Password, $"/account/moderate/{site}");
        Assert.Equal($"/account/moderate/{site}", signIn.Headers.Location?.OriginalString);
        using var noRole = await browser.Client.GetAsync($"/account/moderate/{site}");
        Assert.Equal(HttpStatusCode.NotFound, noRole.StatusCode);

        await app.GrantAsync(email, site, SiteRole.Moderator);
        using var page = await browser.Client.GetAsync($"/account/moderate/{site}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        var token = Token().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        Assert.StartsWith("hat_", token);

        using var notMine = await browser.Client.GetAsync($"/account/moderate/{other}");
        using var missing = await browser.Client.GetAsync("/account/moderate/no-such-site");
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (notMine.StatusCode, missing.StatusCode));
        Assert.Equal(Nonce().Replace(await missing.Content.ReadAsStringAsync(), ""), Nonce().Replace(await notMine.Content.ReadAsStringAsync(), ""));
        Assert.Contains(site, await browser.GetAsync("/account/moderate"));
        Assert.DoesNotContain(other, await browser.GetAsync("/account/moderate"));

        var api = app.CreateClient();
        using (var queue = await QueueAsync(api, site, token))
        {
            Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
        }
        using (var elsewhere = await QueueAsync(api, other, token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
        }
        // The page's session moderates; it never changes the site, even an owner's.
        await app.InDatabaseAsync(async db =>
        {
            var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
            return await db.SiteMembers.Where(m => m.UserId == userId).ExecuteUpdateAsync(m => m.SetProperty(x => x.Role, SiteRole.Owner));
        });
        using (var changed = await api.AsModeratorAsync(token, HttpMethod.Patch, $"/api/v1/sites/{site}/settings", new { moderation = "pre" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, changed.StatusCode);
        }

        Assert.Contains("moderation page of " + site, await browser.GetAsync("/account"));

        var home = await browser.GetAsync("/account");
        var csrf = CsrfField().Match(home).Groups[1].Value;
        using var signOut = await browser.PostAsync("/account/signout", ("csrf", WebUtility.HtmlDecode(csrf)));
        using var after = await QueueAsync(api, site, token);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [GeneratedRegex("nonce=\"[^\"]+\"")]
    private static partial Regex Nonce();

    [GeneratedRegex("<meta name=\"hearth-token\" content=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
