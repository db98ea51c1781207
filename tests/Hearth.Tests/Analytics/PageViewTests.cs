using System.Net;
using System.Text.Json;
using Hearth.Analytics;
using Hearth.Tests.Moderation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Analytics;

/// <summary>
/// The widget's first read of a page counts a view: a number per page and day, once per reader in half an hour, never
/// for a reader who asks not to be tracked, and nothing about the reader kept anywhere.
/// </summary>
public class PageViewTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    async Task ReadAsync(string site, string url, string reader, string query = "&view=1", params (string, string)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}{query}");
        request.Headers.Add("X-Forwarded-For", reader);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    async Task<JsonElement> ReportAsync(string site, string token, string? thread = null)
    {
        using var response = await _client.AsModeratorAsync(token, HttpMethod.Get, $"/api/v1/sites/{site}/analytics{(thread is null ? "" : "?thread=" + thread)}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task AViewIsCountedOncePerReaderAndNeverForOneWhoAsksNotToBeTracked()
    {
        var (site, token) = await app.SiteWithModeratorAsync();
        app.MorningOfTheNextDay();
        var busy = ApiCalls.NewPageUrl();
        var quiet = ApiCalls.NewPageUrl();
        await _client.CommentAsync(site, busy, "The one comment of the day.", name: "Wren");

        await ReadAsync(site, busy, "203.0.113.1", headers: ("Origin", "https://blog.example"));
        await ReadAsync(site, busy, "203.0.113.1");                       // the same reader again: once
        await ReadAsync(site, busy, "203.0.113.2");
        await ReadAsync(site, busy, "203.0.113.3", headers: ("DNT", "1"));
        await ReadAsync(site, busy, "203.0.113.4", headers: ("Sec-GPC", "1"));
        await ReadAsync(site, busy, "203.0.113.5", query: "");            // an integrator's read, not a page view
        await ReadAsync(site, quiet, "203.0.113.1");                      // a page nobody commented on yet counts too
        app.Clock.Advance(TimeSpan.FromMinutes(31));
        await ReadAsync(site, busy, "203.0.113.1");                       // back after half an hour: a new view

        var report = await ReportAsync(site, token);
        var totals = report.GetProperty("totals");
        Assert.Equal(4, totals.GetProperty("views").GetInt64());
        // One commenter (Wren) for four views.
        Assert.Equal(0.25, totals.GetProperty("conversion").GetDouble());
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd");
        var day = report.GetProperty("days").EnumerateArray().Single(d => d.GetProperty("date").GetString() == today);
        Assert.Equal(4, day.GetProperty("views").GetInt64());
        var top = Assert.Single(report.GetProperty("topConversations").EnumerateArray());
        Assert.Equal(3, top.GetProperty("views").GetInt64());
        var thread = (await _client.ThreadAsync(site, busy)).GetProperty("thread").GetProperty("id").GetInt64();
        Assert.Equal(3, (await ReportAsync(site, token, thread.ToString())).GetProperty("totals").GetProperty("views").GetInt64());

        // Only a page with a thread has a row of its own: addresses made up by the thousand leave nothing behind.
        var pages = await app.InDatabaseAsync(db => db.PageViews.AsNoTracking()
            .Where(v => v.SiteId == db.Sites.Single(s => s.Name == site).Id && v.ThreadKeyHash != ViewCounter.AllPages).CountAsync());
        Assert.Equal(1, pages);

        // The origin the widget was opened from is remembered for the console; nothing else is.
        var origins = await app.InDatabaseAsync(db => db.WidgetOrigins.AsNoTracking().Where(o => o.SiteId == db.Sites.Single(s => s.Name == site).Id)
            .Select(o => o.Origin).ToListAsync());
        Assert.Equal(["https://blog.example"], origins);
    }

    [Fact]
    public async Task APageViewRowHoldsOnlyASiteAPageHashADayAndACount()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Hearth.Storage.HearthDb>();
        var columns = db.Model.FindEntityType(typeof(PageView))!.GetProperties().Select(p => p.GetColumnName()).Order().ToList();
        Assert.Equal(["Day", "SiteId", "ThreadKeyHash", "Views"], columns);
        Assert.Equal(["LastSeenAt", "Origin", "SiteId"], db.Model.FindEntityType(typeof(WidgetOrigin))!.GetProperties().Select(p => p.GetColumnName()).Order().ToList());
    }

    [Fact]
    public async Task ViewsOfARemovedSiteAreDroppedNotKeptForEver()
    {
        var site = await app.CreateSiteAsync();
        await ReadAsync(site, ApiCalls.NewPageUrl(), "198.51.100.7");
        await app.InDatabaseAsync(db => db.Sites.Where(s => s.Name == site).ExecuteDeleteAsync());
        var counter = app.Services.GetRequiredService<ViewCounter>();
        await counter.FlushAsync(CancellationToken.None);
        // Nothing left waiting: a second write has nothing to do.
        await counter.FlushAsync(CancellationToken.None);
        Assert.False(await app.InDatabaseAsync(db => db.PageViews.AnyAsync(v => !db.Sites.Any(s => s.Id == v.SiteId))));
    }
}
