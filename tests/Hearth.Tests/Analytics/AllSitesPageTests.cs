using System.Net;
using System.Text.RegularExpressions;
using Hearth.Analytics;
using Hearth.Identity;
using Hearth.Tests.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Analytics;

/// <summary>All the sites a person runs side by side: the busiest first, ten to a page, each line its site's own report.</summary>
public partial class AllSitesPageTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "a lantern by the lock";

    [GeneratedRegex("<tr data-site=\"([^\"]+)\"><th scope=\"row\"><a [^>]+>[^<]+</a></th><td>([0-9]+)</td><td>([0-9]+)</td><td>([0-9]+)</td>")]
    private static partial Regex Row();

    async Task<(Browser Browser, long UserId)> PersonAsync()
    {
        var (browser, email) = await app.SignedInAsync($"Ona {Guid.NewGuid().ToString("N")[..6]}", Password);
        return (browser, await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync()));
    }

    Task GiveAsync(long userId, string site, SiteRole role) => app.InDatabaseAsync(async db =>
    {
        db.SiteMembers.Add(new SiteMember { SiteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync(), UserId = userId, Role = role });
        return await db.SaveChangesAsync();
    });

    [Fact]
    public async Task AnOwnerOfTwelveSitesSeesTheBusiestFirstTenToAPageEachAsItsOwnReportSays()
    {
        var (owner, userId) = await PersonAsync();
        var sites = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var site = await app.CreateSiteAsync();
            sites.Add(site);
            await GiveAsync(userId, site, SiteRole.Owner);
        }
        var client = app.CreateClient();
        // The eleventh site is the busiest, the third next; the others are quiet.
        var busy = sites[10];
        var url = ApiCalls.NewPageUrl();
        var first = await client.CommentAsync(busy, url, "Which trail did you take to the ridge?", name: "Ana");
        await client.CommentAsync(busy, url, "The north one, past the old mill.", first.Id(), name: "Ben");
        await client.CommentAsync(busy, url, "Thanks, trying it on Sunday.", name: "Ana");
        await client.CommentAsync(sites[2], ApiCalls.NewPageUrl(), "A first word here.", name: "Cy");

        var page = await owner.GetAsync("/account/sites/dashboard");
        Assert.Contains("<span class=\"value\" id=\"all-sites\">12</span>", page);
        Assert.Contains("<span class=\"value\" id=\"all-comments\">4</span>", page);
        var rows = Row().Matches(page).Select(m => (Site: m.Groups[1].Value, Comments: int.Parse(m.Groups[2].Value), Commenters: int.Parse(m.Groups[3].Value),
            New: int.Parse(m.Groups[4].Value))).ToList();
        Assert.Equal(AllSitesPage.PerPage, rows.Count);
        Assert.Equal([busy, sites[2]], rows.Take(2).Select(r => r.Site));
        Assert.Equal((3, 2, 2), (rows[0].Comments, rows[0].Commenters, rows[0].New));
        Assert.Contains("Quieter sites", page);

        // Each line is what the site's own dashboard and API report.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Hearth.Storage.HearthDb>();
            var site = await db.Sites.AsNoTracking().SingleAsync(s => s.Name == busy);
            var (range, _, _) = AnalyticsRange.Parse(null, null, app.Clock.GetUtcNow().UtcDateTime);
            var report = await scope.ServiceProvider.GetRequiredService<SiteAnalytics>().ReportAsync(site, null, range!, CancellationToken.None);
            Assert.Equal((report.Totals.Comments, report.Totals.Commenters, report.Totals.NewCommenters), (rows[0].Comments, rows[0].Commenters, rows[0].New));
            Assert.Contains($"<td>{(report.Belonging.Index is { } index ? index.ToString(System.Globalization.CultureInfo.InvariantCulture) : "–")}", page);
        }

        var second = await owner.GetAsync("/account/sites/dashboard?page=2");
        var rest = Row().Matches(second).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, rest.Count);
        Assert.Empty(rest.Intersect(rows.Select(r => r.Site)));
        Assert.Contains("Busier sites", second);

        using var csv = await owner.Client.GetAsync("/account/sites/dashboard.csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + AllSitesPage.PerPage, lines.Length);
        Assert.StartsWith($"{busy},3,2,2,", lines[1]);
    }

    [Fact]
    public async Task EachPersonSeesOnlyTheSitesTheyRunAndAWrongRangeIsSaid()
    {
        var (moderator, userId) = await PersonAsync();
        var mine = await app.CreateSiteAsync();
        var theirs = await app.CreateSiteAsync();
        await GiveAsync(userId, mine, SiteRole.Moderator);
        await app.CreateClient().CommentAsync(theirs, ApiCalls.NewPageUrl(), "On a site this moderator does not run.", name: "Di");

        var page = await moderator.GetAsync("/account/sites/dashboard");
        Assert.Equal([mine], Row().Matches(page).Select(m => m.Groups[1].Value));
        Assert.DoesNotContain(theirs, page);

        using (var wrong = await moderator.Client.GetAsync("/account/sites/dashboard?from=2026-02-30&to=2026-03-01"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Contains("id=\"form-error\"", await wrong.Content.ReadAsStringAsync());
        }

        var (nobody, _) = await PersonAsync();
        Assert.Contains("You run no site here", await nobody.GetAsync("/account/sites/dashboard"));
        using var signedOut = await app.NewBrowser().Client.GetAsync("/account/sites/dashboard.csv");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
    }
}
