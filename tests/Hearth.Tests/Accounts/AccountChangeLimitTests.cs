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
