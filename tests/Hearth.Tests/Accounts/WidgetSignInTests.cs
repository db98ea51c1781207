using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Identity;
using Hearth.Tests.Identity;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Accounts;

public class WidgetSignInTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "river path at dawn";
    const string Origin = "https://blog.example";

    Task<(Browser Browser, string Email)> SignedInAsync(string name) => app.SignedInAsync(name, Password);

    static JsonElement Message(string page)
    {
        var data = Regex.Match(page, "data-message=\"([^\"]+)\"");
        Assert.True(data.Success, page);
        return JsonDocument.Parse(WebUtility.HtmlDecode(data.Groups[1].Value)).RootElement.Clone();
    }

    [Fact]
    public async Task ASignedInPersonAgreesOnceAndTheWidgetGetsATokenThatPostsAsThem()
    {
        var site = await app.CreateSiteAsync(origins: [Origin]);
        var (browser, _) = await SignedInAsync("Jonas Weber");
        var ask = $"/account/widget?site={site}&origin={Uri.EscapeDataString(Origin)}";

        var question = await browser.GetAsync(ask);
        Assert.Contains("as <strong>Jonas Weber</strong>", question);
        using var granted = await browser.SubmitAsync(ask, "/account/widget", ("site", site), ("origin", Origin));
        var page = await granted.Content.ReadAsStringAsync();
        Assert.Contains($"data-origin=\"{Origin}\"", page);
        var message = Message(page);
        Assert.Equal("signed-in", message.GetProperty("hearth").GetString());
        Assert.Equal("Jonas Weber", message.GetProperty("user").GetProperty("name").GetString());

        var url = ApiCalls.NewPageUrl();
        using var post = await app.CreateClient().PostAsMemberAsync(site, message.GetProperty("accessToken").GetString()!, new { url, body = "Signed in through the window." });
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        var comment = (await app.CreateClient().ThreadAsync(site, url)).GetProperty("comments")[0];
        Assert.Equal("Jonas Weber", comment.GetProperty("author").GetProperty("name").GetString());
    }

    [Fact]
    public async Task AModeratorsCommentsCarryTheModeratorBadgeOnTheirSiteOnly()
    {
        var site = await app.CreateSiteAsync(origins: [Origin]);
        var other = await app.CreateSiteAsync(origins: [Origin]);
        var (browser, email) = await SignedInAsync("Petra Falk");
        await app.GrantAsync(email, site, SiteRole.Moderator);

        foreach (var (name, badges) in new[] { (site, new[] { "moderator" }), (other, new[] { "newcomer" }) })
        {
            var ask = $"/account/widget?site={name}&origin={Uri.EscapeDataString(Origin)}";
            using var granted = await browser.SubmitAsync(ask, "/account/widget", ("site", name), ("origin", Origin));
            var token = Message(await granted.Content.ReadAsStringAsync()).GetProperty("accessToken").GetString()!;
            var url = ApiCalls.NewPageUrl();
            using var post = await app.CreateClient().PostAsMemberAsync(name, token, new { url, body = "Hello from the team" });
            Assert.Equal(HttpStatusCode.Created, post.StatusCode);
            var author = (await app.CreateClient().ThreadAsync(name, url)).GetProperty("comments")[0].GetProperty("author");
            Assert.Equal(badges, author.GetProperty("badges").EnumerateArray().Select(b => b.GetString()!).ToArray());
        }
    }

    [Fact]
    public async Task SomeoneNotSignedInIsSentToSignInAndComesBackToTheQuestion()
    {
        var site = await app.CreateSiteAsync(origins: [Origin]);
        var (_, email) = await SignedInAsync("Lea Roth");
        var fresh = app.NewBrowser();
        var ask = $"/account/widget?site={site}&origin={Uri.EscapeDataString(Origin)}";

        using var redirected = await fresh.Client.GetAsync(ask);
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        var signInPage = redirected.Headers.Location!.OriginalString;
        Assert.StartsWith("/account/signin?returnUrl=", signInPage);
        var returnUrl = Uri.UnescapeDataString(signInPage["/account/signin?returnUrl=".Length..]);

        using var signIn = await fresh.SubmitAsync(signInPage, "/account/signin", ("email", email), ("password", Password), ("returnUrl", returnUrl));
        Assert.Equal(ask, signIn.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("https://blog.example.evil.example")]
    public async Task NoTokenGoesToAPageOutsideTheSitesOrigins(string origin)
    {
        var site = await app.CreateSiteAsync(origins: [Origin]);
        var (browser, _) = await SignedInAsync("Ida Berg");
        var sessions = await app.InDatabaseAsync(db => db.MemberSessions.CountAsync());

        var ask = await browser.Client.GetAsync($"/account/widget?site={site}&origin={Uri.EscapeDataString(origin)}");
        using var grant = await browser.SubmitAsync("/account", "/account/widget", ("site", site), ("origin", origin));

        Assert.Equal(HttpStatusCode.BadRequest, ask.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, grant.StatusCode);
        Assert.DoesNotContain("accessToken", await grant.Content.ReadAsStringAsync());
        Assert.Equal(sessions, await app.InDatabaseAsync(db => db.MemberSessions.CountAsync()));
    }
}
