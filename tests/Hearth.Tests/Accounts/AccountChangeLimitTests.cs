using System.Net;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Accounts;

/// <summary>Hearth with the documented limit on account actions, set low.</summary>
public sealed class AccountsAppWithLimits : AccountsApp
{
    protected override IReadOnlyDictionary<string, string> Settings =>
        new Dictionary<string, string>(base.Settings) { ["Hearth:RateLimits:AccountActionsPerMinute"] = "4" };
}

/// <summary>
/// What costs the server a pass over everything a person wrote or holds (a new name or picture every comment follows,
/// the data download, new sessions and tokens) is counted with sign-ins, a few a minute, not without end.
/// </summary>
public sealed class AccountChangeLimitTests(AccountsAppWithLimits app) : IClassFixture<AccountsAppWithLimits>
{
    [Fact]
    public async Task RenamingAgainAndAgainIsCutOffAndTheLastAcceptedNameStays()
    {
        var (browser, email) = await app.SignedInAsync("Restless Rhea", "a lamp in the window");
        string? accepted = null;
        HttpStatusCode last = default;
        for (var i = 0; i < 8 && last != HttpStatusCode.TooManyRequests; i++)
        {
            using var renamed = await browser.SubmitAsync("/account/profile", "/account/profile", ("name", $"Rhea {i}"), ("website", ""), ("bio", ""));
            last = renamed.StatusCode;
            if (last == HttpStatusCode.Redirect)
            {
                accepted = $"Rhea {i}";
            }
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, last);
        Assert.NotNull(accepted);
        Assert.Equal(accepted, await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.DisplayName).SingleAsync()));

        // The same count holds the data download, new API tokens, taking the picture away and a widget's sign-in.
        using var download = await browser.Client.GetAsync("/account/data");
        Assert.Equal(HttpStatusCode.TooManyRequests, download.StatusCode);
        using var token = await browser.SubmitAsync("/account/profile", "/account/tokens", ("name", "script"));
        Assert.Equal(HttpStatusCode.TooManyRequests, token.StatusCode);
        using var pictureRemoved = await browser.SubmitAsync("/account/profile", "/account/avatar/remove");
        Assert.Equal(HttpStatusCode.TooManyRequests, pictureRemoved.StatusCode);
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        using var widget = await browser.SubmitAsync("/account/profile", "/account/widget", ("site", site), ("origin", "https://blog.example"));
        Assert.Equal(HttpStatusCode.TooManyRequests, widget.StatusCode);
    }
}

/// <summary>
/// A site's settings, changed again and again by its owner through the API or the settings page, are counted with
/// account actions: each change is kept in the audit log with the settings before and after it.
/// </summary>
public sealed class SettingsChangeLimitTests(AccountsAppWithLimits app) : IClassFixture<AccountsAppWithLimits>
{
    [Fact]
    public async Task ChangingASitesSettingsAgainAndAgainIsCutOffAndEachAcceptedChangeIsAuditedOnce()
    {
        var (site, token, _) = await Hearth.Tests.Moderation.ModeratorCalls.SiteWithTeamMemberAsync(app, "Fidgety Owner", Hearth.Identity.SiteRole.Owner);
        var client = app.CreateClient();
        var accepted = new List<int>();
        HttpStatusCode last = default;
        for (var i = 1; i <= 8 && last != HttpStatusCode.TooManyRequests; i++)
        {
            using var changed = await Hearth.Tests.Moderation.ModeratorCalls.AsModeratorAsync(client, token, HttpMethod.Patch,
                $"/api/v1/sites/{site}/settings", new { maxLinks = i });
            last = changed.StatusCode;
            if (last == HttpStatusCode.OK)
            {
                accepted.Add(i);
            }
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, last);
        Assert.NotEmpty(accepted);
        var stored = await app.InDatabaseAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Name == site));
        Assert.Equal(accepted[^1], stored.MaxLinks);
        Assert.Equal(accepted.Count, await app.InDatabaseAsync(db => db.AuditLog.CountAsync(a => a.SiteId == stored.Id && a.Action == "settings")));
    }
}
