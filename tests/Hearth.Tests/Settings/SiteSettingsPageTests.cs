using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Hearth.Identity;
using Hearth.Sites;
using Hearth.Tests.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Settings;

/// <summary>The settings form on the account pages: owners only, the API's rules, audited, nothing lost on a mistake.</summary>
public class SiteSettingsPageTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "a lantern by the lock";

    async Task<(Browser Browser, string Site)> SignedInAsync(SiteRole role)
    {
        var site = await app.CreateSiteAsync();
        var (browser, email) = await app.SignedInAsync(role == SiteRole.Owner ? "Owen Owner " + site[^4..] : "Mo Derator " + site[^4..], Password);
        await app.GrantAsync(email, site, role);
        return (browser, site);
    }

    static (string Name, string Value)[] Fields(string origins = "https://blog.example", string maxLinks = "2", string closeAfterDays = "30",
        string welcome = "Welcome!\r\nSay hello.") =>
    [
        ("origins", origins), ("moderation", "first"), ("requireSignIn", "on"), ("maxLinks", maxLinks),
        ("bannedWords", "scumbag\nrotten egg"), ("suspectWords", "Ｃｈｅａｐ"), ("closeAfterDays", closeAfterDays), ("reportThreshold", "2"),
        ("welcomeMessage", welcome),
    ];

    [Fact]
    public async Task AnOwnerChangesTheSettingsWithTheFormAndTheChangeIsLogged()
    {
        var (browser, site) = await SignedInAsync(SiteRole.Owner);
        var path = $"/account/moderate/{site}/settings";
        using var saved = await browser.SubmitAsync(path, path, Fields());
        var page = await saved.Content.ReadAsStringAsync();
        Assert.True(saved.StatusCode == HttpStatusCode.OK, page);
        Assert.Contains("id=\"saved\"", page);

        var stored = await app.InDatabaseAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Name == site));
        Assert.Equal((ModerationMode.First, true, (int?)2, (int?)30, 2, false),
            (stored.Moderation, stored.RequireSignIn, stored.MaxLinks, stored.CloseAfterDays, stored.ReportThreshold, stored.ListOnProfiles));
        Assert.Equal(["scumbag", "rotten egg"], stored.BannedWords);
        Assert.Equal(["Ｃｈｅａｐ"], stored.SuspectWords); // kept as typed; matching folds width and case
        Assert.Equal("Welcome!\nSay hello.", stored.WelcomeMessage);
        var audit = await app.InDatabaseAsync(db => db.AuditLog.AsNoTracking().Where(a => a.SiteId == stored.Id).ToListAsync());
        Assert.StartsWith("Owen Owner", Assert.Single(audit).ActorName);

        // Empty fields turn the limits off again.
        using var cleared = await browser.SubmitAsync(path, path, Fields(maxLinks: "", closeAfterDays: "", welcome: ""));
        stored = await app.InDatabaseAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Name == site));
        Assert.Equal(((int?)null, (int?)null, (string?)null), (stored.MaxLinks, stored.CloseAfterDays, stored.WelcomeMessage));
    }

    [Fact]
    public async Task TheCommunityPageAndExploreAreOffUntilAnOwnerTurnsThemOn()
    {
        var (browser, site) = await SignedInAsync(SiteRole.Owner);
        var path = $"/account/moderate/{site}/settings";
        var form = await browser.GetAsync(path);
        Assert.DoesNotContain("name=\"communityPage\" checked", form);
        Assert.DoesNotContain("name=\"listOnExplore\" checked", form);
        using (var off = await app.CreateClient().GetAsync($"/sites/{site}/community"))
        {
            Assert.Equal(HttpStatusCode.NotFound, off.StatusCode);
        }

        using var saved = await browser.SubmitAsync(path, path, [.. Fields(), ("communityPage", "on"), ("listOnExplore", "on")]);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var stored = await app.InDatabaseAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Name == site));
        Assert.Equal((true, true), (stored.CommunityPage, stored.ListOnExplore));
        var audit = await app.InDatabaseAsync(db => db.AuditLog.AsNoTracking().Where(a => a.SiteId == stored.Id).ToListAsync());
        Assert.Contains("\"communityPage\":true", Assert.Single(audit).After);
        app.Clock.Advance(TimeSpan.FromSeconds(11));
        using var on = await app.CreateClient().GetAsync($"/sites/{site}/community");
        Assert.Equal(HttpStatusCode.OK, on.StatusCode);

        // A form without the boxes ticked turns both off again.
        using var cleared = await browser.SubmitAsync(path, path, Fields());
        stored = await app.InDatabaseAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Name == site));
        Assert.Equal((false, false), (stored.CommunityPage, stored.ListOnExplore));
    }

    [Fact]
    public async Task AMistakeIsExplainedAndChangesNothing()
    {
        var (browser, site) = await SignedInAsync(SiteRole.Owner);
        var path = $"/account/moderate/{site}/settings";
        using var bad = await browser.SubmitAsync(path, path, Fields(origins: "ftp://files.example"));
        var page = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Origins:", page);
        Assert.Contains("ftp://files.example", page); // what was typed is still in the form

        using var notANumber = await browser.SubmitAsync(path, path, Fields(maxLinks: "lots"));
        Assert.Equal(HttpStatusCode.BadRequest, notANumber.StatusCode);
        var stored = await app.InDatabaseAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Name == site));
        Assert.Equal((ModerationMode.Post, (int?)null), (stored.Moderation, stored.MaxLinks));
        Assert.Equal(["https://blog.example"], stored.Origins);
    }

    [Fact]
    public async Task ModeratorsAndStrangersCannotChangeASite()
    {
        var (moderator, site) = await SignedInAsync(SiteRole.Moderator);
        using var refused = await moderator.Client.GetAsync($"/account/moderate/{site}/settings");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var (_, other) = await SignedInAsync(SiteRole.Owner);
        using var elsewhere = await moderator.Client.GetAsync($"/account/moderate/{other}/settings");
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);

        // A form posted without the page's anti-forgery token is refused, whoever sends it.
        using var forged = await moderator.PostAsync($"/account/moderate/{other}/settings", Fields());
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(ModerationMode.Post, (await app.InDatabaseAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Name == other))).Moderation);
    }

    [Fact]
    public async Task AnOwnerMakesASingleSignOnSecretSeesItOnceAndANewOneEndsTheOld()
    {
        var (browser, site) = await SignedInAsync(SiteRole.Owner);
        var path = $"/account/moderate/{site}/settings";
        Assert.Contains("Not set up", await browser.GetAsync(path));

        using var made = await browser.SubmitAsync(path, path + "/sso");
        var page = await made.Content.ReadAsStringAsync();
        Assert.True(made.StatusCode == HttpStatusCode.OK, page);
        Assert.Equal("no-store", made.Headers.CacheControl?.ToString());
        var secret = System.Text.RegularExpressions.Regex.Match(page, "id=\"sso-secret\">([^<]+)<").Groups[1].Value;
        var secrets = app.Services.GetRequiredService<SsoSecrets>();
        async Task<string?> StoredAsync() => secrets.Read(await app.InDatabaseAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Name == site)));
        Assert.Equal(await StoredAsync(), System.Net.WebUtility.HtmlDecode(secret));
        // Never shown again in the browser.
        var settings = await browser.GetAsync(path);
        Assert.Contains("Set up", settings);
        Assert.DoesNotContain(secret, settings);

        // A new one only when the owner confirms it, since the site's sign-ins stop working with the old one.
        using (var unconfirmed = await browser.SubmitAsync(path, path + "/sso"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        }
        Assert.Equal(System.Net.WebUtility.HtmlDecode(secret), await StoredAsync());
        using (var rotated = await browser.SubmitAsync(path, path + "/sso", ("confirm", "on")))
        {
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        }
        Assert.NotEqual(System.Net.WebUtility.HtmlDecode(secret), await StoredAsync());
        var current = await StoredAsync();
        // A form another page posts for the owner's browser, without this page's anti-forgery token, changes nothing.
        using (var forged = await browser.PostAsync(path + "/sso", ("confirm", "on")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }
        Assert.Equal(current, await StoredAsync());
        var log = await app.InDatabaseAsync(db => db.AuditLog.AsNoTracking().Where(a => a.Action == "sso-secret" && a.Target == $"site {site}").ToListAsync());
        Assert.Equal(2, log.Count);
        Assert.All(log, entry => Assert.StartsWith("Owen Owner", entry.ActorName));
        Assert.All(log, entry => Assert.DoesNotContain(System.Net.WebUtility.HtmlDecode(secret), entry.After ?? ""));
    }

    [Fact]
    public async Task AModeratorCannotMakeASingleSignOnSecret()
    {
        var (moderator, site) = await SignedInAsync(SiteRole.Moderator);
        using var refused = await moderator.SubmitAsync("/account", $"/account/moderate/{site}/settings/sso", ("confirm", "on"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Null(await app.InDatabaseAsync(db => db.Sites.Where(s => s.Name == site).Select(s => s.SsoSecret).SingleAsync()));
    }
}
