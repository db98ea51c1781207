using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Identity;
using Hearth.Tests.Accounts;
using Hearth.Tests.Moderation;

namespace Hearth.Tests.Analytics;

/// <summary>The dashboard page on the account pages: the team's, the API's numbers, every name encoded.</summary>
public partial class DashboardPageTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "a lantern by the lock";
    readonly HttpClient _client = app.CreateClient();

    [GeneratedRegex("id=\"(?<id>[a-z-]+)\">(?<value>[^<]*)<")]
    private static partial Regex Values();

    static Dictionary<string, string> Shown(string page) =>
        Values().Matches(page).ToDictionary(m => m.Groups["id"].Value, m => m.Groups["value"].Value);

    [Fact]
    public async Task TheTeamSeesTheSameNumbersAsTheApiWithEveryNameEncodedAndTheTablesAsCsv()
    {
        var (site, token) = await app.SiteWithModeratorAsync();
        var (owner, email) = await app.SignedInAsync("Owen Owner " + site[^4..], Password);
        await app.GrantAsync(email, site, SiteRole.Moderator);
        var url = ApiCalls.NewPageUrl();
        // Coming back counts on a later UTC date: the first three comments, minutes apart, must share one.
        app.MorningOfTheNextDay();
        var first = await _client.CommentAsync(site, url, "Is this the way?", name: "<script>alert(1)</script>");
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var answer = await _client.CommentAsync(site, url, "It is, take the left fork.", first.Id(), "Rhea");
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await _client.CommentAsync(site, url, "Thanks, found it.", answer.Id(), "<script>alert(1)</script>");
        app.Clock.Advance(TimeSpan.FromDays(1));
        await _client.CommentAsync(site, url, "Back again with another question.", name: "Rhea");

        var page = await owner.GetAsync($"/account/moderate/{site}/dashboard");
        Assert.DoesNotContain("<script>alert", page);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page);

        using var response = await _client.AsModeratorAsync(token, HttpMethod.Get, $"/api/v1/sites/{site}/analytics");
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var shown = Shown(page);
        Assert.Equal(report.GetProperty("totals").GetProperty("comments").GetInt32().ToString(), shown["total-comments"]);
        Assert.Equal("4", shown["total-comments"]);
        Assert.Equal(report.GetProperty("totals").GetProperty("commenters").GetInt32().ToString(), shown["total-commenters"]);
        Assert.Equal(report.GetProperty("belonging").GetProperty("index").GetInt32().ToString(), shown["belonging-index"]);
        // Two newcomers who talked with each other (reciprocity 1) and were both answered (response 1); only Rhea came
        // back on a later day (retention 1/2): 83.
        Assert.Equal("83", shown["belonging-index"]);
        Assert.Equal("50%", shown["part-retention"]);
        Assert.Equal("100%", shown["part-reciprocity"]);
        Assert.Equal("50%", shown["answered-share"]);
        Assert.Equal("5 min", shown["first-reply"]);
        Assert.Contains("role=\"img\"", page);
        Assert.Contains("<desc id=\"comments-chart-desc\">4 comments over 30 days", page);

        var link = Regex.Match(page, "href=\"(?<href>[^\"]*/contributors\\.csv[^\"]*)\"").Groups["href"].Value.Replace("&amp;", "&");
        using var csv = await owner.Client.GetAsync(link);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        using var fromApi = await _client.AsModeratorAsync(token, HttpMethod.Get, $"/api/v1/sites/{site}/analytics/contributors.csv");
        Assert.Equal(await fromApi.Content.ReadAsStringAsync(), await csv.Content.ReadAsStringAsync());

        // One thread's page, reached from the top conversations.
        var threadLink = Regex.Match(page, "href=\"(?<href>[^\"]*dashboard\\?[^\"]*thread=\\d+)\"").Groups["href"].Value.Replace("&amp;", "&");
        var thread = await owner.GetAsync(threadLink);
        Assert.Equal("4", Shown(thread)["total-comments"]);
        Assert.Contains(url, thread);
    }

    [Fact]
    public async Task StrangersSeeNoDashboardAndABadRangeIsSaidOnThePage()
    {
        var site = await app.CreateSiteAsync();
        using (var anonymous = await app.CreateClient(new() { AllowAutoRedirect = false }).GetAsync($"/account/moderate/{site}/dashboard"))
        {
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.StartsWith("/account/signin", anonymous.Headers.Location!.OriginalString);
        }
        var (stranger, _) = await app.SignedInAsync("Stray " + site[^4..], Password);
        using (var refused = await stranger.Client.GetAsync($"/account/moderate/{site}/dashboard"))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }
        using (var csv = await stranger.Client.GetAsync($"/account/moderate/{site}/dashboard/days.csv"))
        {
            Assert.Equal(HttpStatusCode.NotFound, csv.StatusCode);
            Assert.NotEqual("text/csv", csv.Content.Headers.ContentType?.MediaType);
        }

        var (moderator, email) = await app.SignedInAsync("Mona " + site[^4..], Password);
        await app.GrantAsync(email, site, SiteRole.Moderator);
        using var bad = await moderator.Client.GetAsync($"/account/moderate/{site}/dashboard?from=2020-01-01&to=2026-01-01");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var page = await bad.Content.ReadAsStringAsync();
        Assert.Contains("at most 366 days", page);
        // The page still shows the default range under the message.
        Assert.Contains("id=\"total-comments\"", page);
    }
}
