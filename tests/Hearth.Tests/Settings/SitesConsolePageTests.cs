using System.Net;
using System.Text.Json;
using Hearth.Identity;
using Hearth.Sites;
using Hearth.Tests.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Settings;

/// <summary>The console's list of sites: each with its snippet and whether the widget loads; admins add sites there.</summary>
public class SitesConsolePageTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "a lantern by the lock";

    async Task<(Browser Browser, string Email)> AdminAsync()
    {
        var (browser, email) = await app.SignedInAsync("Ada Admin " + Guid.NewGuid().ToString("N")[..4], Password);
        await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsAdmin, true)));
        return (browser, email);
    }

    static (string, string)[] Fields(string name, string origins = "https://news.example\nhttps://news.example/\nhttp://localhost:4000", string moderation = "first") =>
        [("name", name), ("origins", origins), ("moderation", moderation)];

    [Fact]
    public async Task AnAdminAddsASiteAndGetsItsSnippetOwnsItAndTheLogSaysSo()
    {
        var (admin, email) = await AdminAsync();
        var name = "news-" + Guid.NewGuid().ToString("N")[..8];
        using var added = await admin.SubmitAsync("/account/sites", "/account/sites", Fields(name));
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal($"/account/sites?added={name}", added.Headers.Location!.OriginalString);

        var site = await app.InDatabaseAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Name == name));
        Assert.Equal(["https://news.example", "http://localhost:4000"], site.Origins);
        Assert.Equal(ModerationMode.First, site.Moderation);
        var userId = await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        Assert.Equal(SiteRole.Owner, await app.InDatabaseAsync(db => db.SiteMembers.Where(m => m.SiteId == site.Id && m.UserId == userId).Select(m => m.Role).SingleAsync()));
        Assert.Equal("site-added", await app.InDatabaseAsync(db => db.AuditLog.Where(a => a.SiteId == site.Id).Select(a => a.Action).SingleAsync()));

        var page = await admin.GetAsync(added.Headers.Location!.OriginalString);
        Assert.Contains("id=\"added\"", page);
        Assert.Contains($"data-site=&quot;{name}&quot;", page);
        Assert.Contains("/embed.js", page);
        Assert.Contains("https://news.example: <span class=\"seen\">not opened yet</span>", page);
    }

    [Theory]
    [InlineData("Not A Name", "https://a.example", "post", "Name:")]
    [InlineData("fine-name", "ftp://a.example", "post", "Origins:")]
    [InlineData("fine-name", "https://a.example/path", "post", "Origins:")]
    [InlineData("fine-name", "", "post", "Origins:")]
    [InlineData("fine-name", "https://a.example", "sometimes", "Moderation:")]
    public async Task AFormWithAMistakeAddsNothingAndSaysWhich(string name, string origins, string moderation, string said)
    {
        var (admin, _) = await AdminAsync();
        var unique = name == "fine-name" ? "fine-" + Guid.NewGuid().ToString("N")[..8] : name;
        var before = await app.InDatabaseAsync(db => db.Sites.CountAsync());
        using var refused = await admin.SubmitAsync("/account/sites", "/account/sites", Fields(unique, origins, moderation));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(said, await refused.Content.ReadAsStringAsync());
        Assert.Equal(before, await app.InDatabaseAsync(db => db.Sites.CountAsync()));
    }

    [Fact]
    public async Task ASecondSiteOfTheSameNameIsRefusedAndTheFirstKeepsItsSettings()
    {
        var (admin, _) = await AdminAsync();
        var name = await app.CreateSiteAsync();
        using var refused = await admin.SubmitAsync("/account/sites", "/account/sites", Fields(name, "https://other.example", "pre"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("exists already", await refused.Content.ReadAsStringAsync());
        var site = await app.InDatabaseAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Name == name));
        Assert.Equal(["https://blog.example"], site.Origins);
        Assert.Equal(ModerationMode.Post, site.Moderation);
    }

    [Fact]
    public async Task AModeratorSeesTheirSitesButAddsNoneAndLearnsWhenTheWidgetLoads()
    {
        var site = await app.CreateSiteAsync();
        var (moderator, email) = await app.SignedInAsync("Mo " + site[^4..], Password);
        await app.GrantAsync(email, site, SiteRole.Moderator);
        var page = await moderator.GetAsync("/account/sites");
        Assert.Contains($"data-site=\"{site}\"", page);
        Assert.DoesNotContain("Add a site", page);
        Assert.DoesNotContain("/settings\">Settings", page);
        // The page has no form for them; the account page's token, with a form made by hand, is refused all the same.
        using (var add = await moderator.SubmitAsync("/account", "/account/sites", Fields("sneaky-" + site[^4..])))
        {
            Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        }

        // A reader opens a page of the site's origin with the widget.
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString("https://blog.example/a")}&view=1");
        request.Headers.Add("Origin", "https://blog.example");
        using (var read = await app.CreateClient().SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
        using var seen = await moderator.Client.GetAsync($"/account/sites/{site}/seen");
        var origins = JsonDocument.Parse(await seen.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("https://blog.example", origins[0].GetProperty("origin").GetString());
        Assert.Equal("yes, just now", origins[0].GetProperty("text").GetString());

        var other = await app.CreateSiteAsync();
        using var elsewhere = await moderator.Client.GetAsync($"/account/sites/{other}/seen");
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.DoesNotContain($"data-site=\"{other}\"", await moderator.GetAsync("/account/sites"));
    }
}
