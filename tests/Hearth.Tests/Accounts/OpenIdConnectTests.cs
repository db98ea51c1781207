using System.Net;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Accounts;

/// <summary>Hearth with a real OpenID Connect provider configured as "idp".</summary>
public sealed class OpenIdApp : AccountsApp, IAsyncLifetime
{
    public OpenIdProvider Provider { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Provider = await OpenIdProvider.StartAsync("hearth", "hearth-client-secret", "http://localhost/account/oidc/idp");

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["Hearth:OpenIdConnect:idp:Authority"] = Provider.Authority,
        ["Hearth:OpenIdConnect:idp:ClientId"] = "hearth",
        ["Hearth:OpenIdConnect:idp:ClientSecret"] = "hearth-client-secret",
        ["Hearth:OpenIdConnect:idp:DisplayName"] = "Example ID",
    };

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Provider.DisposeAsync();
    }
}

public class OpenIdConnectTests(OpenIdApp app) : IClassFixture<OpenIdApp>
{
    Task<HttpResponseMessage> SignInThroughProviderAsync(Browser browser) => SignInThroughProviderAsync(app, browser);

    /// <summary>Walks the browser's redirects between Hearth and the provider; returns where Hearth sends it in the end.</summary>
    internal static async Task<HttpResponseMessage> SignInThroughProviderAsync(OpenIdApp app, Browser browser)
    {
        using var provider = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var toProvider = await browser.Client.GetAsync("/account/external/idp");
        Assert.Equal(HttpStatusCode.Redirect, toProvider.StatusCode);
        Assert.StartsWith(app.Provider.Authority + "/connect/authorize", toProvider.Headers.Location!.AbsoluteUri);
        Assert.Contains("code_challenge=", toProvider.Headers.Location.Query);
        using var back = await provider.GetAsync(toProvider.Headers.Location);
        Assert.True(back.StatusCode == HttpStatusCode.Found, await back.Content.ReadAsStringAsync());
        Assert.StartsWith("http://localhost/account/oidc/idp?", back.Headers.Location!.AbsoluteUri);
        using var callback = await browser.Client.GetAsync(back.Headers.Location.PathAndQuery);
        Assert.True(callback.StatusCode == HttpStatusCode.Redirect, await callback.Content.ReadAsStringAsync());
        return await browser.Client.GetAsync(callback.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SomeoneSignsInWithTheConfiguredProviderAndIsTheSamePersonNextTime()
    {
        app.Provider.Person = ($"sub-{Guid.NewGuid():N}", "Olga Oidc", $"olga-{Guid.NewGuid():N}@idp.example", true);
        var signInPage = await app.NewBrowser().GetAsync("/account/signin");
        Assert.Contains("href=\"/account/external/idp\">Sign in with Example ID</a>", signInPage);
        var browser = app.NewBrowser();

        using var done = await SignInThroughProviderAsync(browser);

        Assert.Equal("/account", done.Headers.Location?.OriginalString);
        var home = await browser.GetAsync("/account");
        Assert.Contains("Olga Oidc", home);
        Assert.Contains(app.Provider.Person.Email!, home);
        var laterBrowser = app.NewBrowser();
        using (await SignInThroughProviderAsync(laterBrowser)) { }
        Assert.Equal(1, await app.InDatabaseAsync(db => db.Users.CountAsync(u => u.Email == app.Provider.Person.Email)));
        Assert.True(await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == app.Provider.Person.Email).Select(u => u.EmailConfirmed).SingleAsync()));
    }

    [Fact]
    public async Task AnAddressThatAlreadyHasAnAccountIsNotTakenOverThroughTheProvider()
    {
        var email = $"owner-{Guid.NewGuid():N}@mail.example";
        var owner = app.NewBrowser();
        await owner.SignUpAsync(email, "Real Owner", "a long enough passphrase");
        app.Provider.Person = ($"sub-{Guid.NewGuid():N}", "Impostor", email, true);
        var browser = app.NewBrowser();

        using var refused = await SignInThroughProviderAsync(browser);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("exists already", await refused.Content.ReadAsStringAsync());
        Assert.Equal(1, await app.InDatabaseAsync(db => db.Users.CountAsync(u => u.Email == email)));
        Assert.Equal(0, await app.InDatabaseAsync(db => db.UserLogins.CountAsync(l => l.ProviderKey == app.Provider.Person.Subject)));
        using var home = await browser.Client.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
    }

    [Fact]
    public async Task AnUnverifiedAddressFromTheProviderIsNotTrusted()
    {
        var email = $"maybe-{Guid.NewGuid():N}@idp.example";
        app.Provider.Person = ($"sub-{Guid.NewGuid():N}", "Una Verified", email, false);
        var browser = app.NewBrowser();

        using (await SignInThroughProviderAsync(browser)) { }

        Assert.Contains("Una Verified", await browser.GetAsync("/account"));
        Assert.Equal(0, await app.InDatabaseAsync(db => db.Users.CountAsync(u => u.Email == email)));
    }

    [Fact]
    public async Task AnUnknownProviderIsA404()
    {
        using var response = await app.NewBrowser().Client.GetAsync("/account/external/nowhere");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
