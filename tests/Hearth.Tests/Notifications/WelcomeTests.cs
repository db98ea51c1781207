using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Identity;
using Hearth.Sites;
using Hearth.Tests.Accounts;
using Hearth.Tests.Identity;
using Hearth.Tests.Moderation;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Notifications;

/// <summary>A site that sets a welcome greets each person with an account in their inbox, once, with their first published comment.</summary>
public class WelcomeTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "a kettle on the stove";
    const string Origin = "https://blog.example";
    readonly HttpClient _client = app.CreateClient();

    async Task<string> WidgetTokenAsync(string name, string site)
    {
        var (browser, _) = await app.SignedInAsync(name, Password);
        var ask = $"/account/widget?site={site}&origin={Uri.EscapeDataString(Origin)}";
        using var granted = await browser.SubmitAsync(ask, "/account/widget", ("site", site), ("origin", Origin));
        var message = Regex.Match(await granted.Content.ReadAsStringAsync(), "data-message=\"([^\"]+)\"").Groups[1].Value;
        return JsonDocument.Parse(WebUtility.HtmlDecode(message)).RootElement.GetProperty("accessToken").GetString()!;
    }

    async Task<JsonElement> PostAsync(string site, string token, string url, string body)
    {
        using var response = await _client.PostAsMemberAsync(site, token, new { url, body });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    async Task<JsonElement[]> InboxAsync(string site, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/inbox");
        request.Headers.Authorization = new("Bearer", token);
        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return [.. JsonDocument.Parse(text).RootElement.Clone().GetProperty("items").EnumerateArray()];
    }

    async Task<HttpResponseMessage> SettingsAsync(string site, string owner, object body) =>
        await _client.AsModeratorAsync(owner, HttpMethod.Patch, $"/api/v1/sites/{site}/settings", body);

    [Fact]
    public async Task TheFirstPublishedCommentBringsTheOwnersWelcomeOnceAndAHeldOneOnlyWhenApproved()
    {
        var (site, owner, _) = await app.SiteWithTeamMemberAsync("Owner Oda", SiteRole.Owner, ModerationMode.First);
        using (var set = await SettingsAsync(site, owner, new { welcomeMessage = "Welcome to the shop's corner!\nAsk us anything." }))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
            Assert.Equal("Welcome to the shop's corner!\nAsk us anything.", (await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("welcomeMessage").GetString());
        }
        var token = await WidgetTokenAsync("Wenche Welcome", site);
        var url = ApiCalls.NewPageUrl();
        var held = await PostAsync(site, token, url, "My very first words here.");
        Assert.Equal("pending", held.GetProperty("status").GetString());
        Assert.Empty(await InboxAsync(site, token));

        using (var approved = await _client.AsModeratorAsync(owner, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{held.Id()}/approve"))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }
        await PostAsync(site, token, url, "And a second one.");
        // Beside the word that the held comment is published (HeldOutcomeTests), the welcome.
        var inbox = await InboxAsync(site, token);
        Assert.Equal(["approved", "welcome"], inbox.Select(i => i.GetProperty("kind").GetString()).Order());
        var welcome = inbox.Single(i => i.GetProperty("kind").GetString() == "welcome");
        Assert.Equal(("welcome", held.Id()), (welcome.GetProperty("kind").GetString(), welcome.GetProperty("comment").GetProperty("id").GetInt64()));
        Assert.Equal("Welcome to the shop's corner!\nAsk us anything.", welcome.GetProperty("message").GetString());

        // Approving it again, or another comment, never welcomes twice.
        var page = await app.InDatabaseAsync(db => db.Notifications.CountAsync(n => n.Kind == "welcome" && n.SiteId == db.Sites.Single(s => s.Name == site).Id));
        Assert.Equal(1, page);
    }

    [Fact]
    public async Task APublishedFirstCommentIsWelcomedAtOnceAndWithoutAMessageNoOneIs()
    {
        var (site, owner, _) = await app.SiteWithTeamMemberAsync("Owner Ole", SiteRole.Owner);
        var quiet = await WidgetTokenAsync("Quiet Quinn", site);
        await PostAsync(site, quiet, ApiCalls.NewPageUrl(), "Before any welcome was set.");
        Assert.Empty(await InboxAsync(site, quiet));

        using (var set = await SettingsAsync(site, owner, new { welcomeMessage = "  Glad you are here.  " }))
        {
            Assert.Equal("Glad you are here.", (await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("welcomeMessage").GetString());
        }
        var token = await WidgetTokenAsync("Frida First", site);
        var first = await PostAsync(site, token, ApiCalls.NewPageUrl(), "Hello!");
        Assert.Equal([first.Id()], (await InboxAsync(site, token)).Select(i => i.GetProperty("comment").GetProperty("id").GetInt64()));
        // Someone who had written here before the welcome was set is not greeted now.
        await PostAsync(site, quiet, ApiCalls.NewPageUrl(), "Still here.");
        Assert.Empty(await InboxAsync(site, quiet));

        using (var off = await SettingsAsync(site, owner, new { welcomeMessage = "" }))
        {
            Assert.False((await off.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("welcomeMessage", out _));
        }
        var late = await WidgetTokenAsync("Lars Late", site);
        await PostAsync(site, late, ApiCalls.NewPageUrl(), "Hi.");
        Assert.Empty(await InboxAsync(site, late));
    }

    [Fact]
    public async Task AWelcomeTooLongOrWithControlCharactersIsRefusedAndChangesNothing()
    {
        var (site, owner, _) = await app.SiteWithTeamMemberAsync("Owner Otto", SiteRole.Owner);
        using (var set = await SettingsAsync(site, owner, new { welcomeMessage = "Kept." }))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }
        foreach (var bad in new[] { new string('x', 1001), "bell\u0007" })
        {
            using var refused = await SettingsAsync(site, owner, new { welcomeMessage = bad, reportThreshold = 9 });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.ProblemAsync()).GetProperty("errors").TryGetProperty("welcomeMessage", out _));
        }
        var stored = await app.InDatabaseAsync(db => db.Sites.Where(s => s.Name == site).Select(s => new { s.WelcomeMessage, s.ReportThreshold }).SingleAsync());
        Assert.Equal(("Kept.", 3), (stored.WelcomeMessage, stored.ReportThreshold));
    }
}
