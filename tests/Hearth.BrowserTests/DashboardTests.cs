using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

/// <summary>A site's owner reads the dashboard from the moderation page, on a wide screen in light and on a phone in dark.</summary>
[Collection(WidgetCollection.Name)]
public class DashboardTests(BrowserFixture fx)
{
    const string Password = "a long enough passphrase";

    [Theory]
    [InlineData("light", 1280)]
    [InlineData("dark", 390)]
    public async Task The_owner_reads_the_conversation_of_the_last_weeks_in_charts_and_tables(string scheme, int width)
    {
        var site = await fx.CreateSiteAsync();
        var page = fx.AddArticle(fx.SnippetFor(site));
        var quiet = fx.AddArticle(fx.SnippetFor(site));
        var email = $"olga-{Guid.NewGuid():N}@mail.example";
        await fx.Hearth.CreateAccountAsync(email, "Olga Owner", Password);
        await fx.Hearth.MakeModeratorAsync(email, site, Hearth.Identity.SiteRole.Owner);

        // Three weeks of a small community: a question, answers between readers, people coming back.
        var names = new[] { "Ines", "Tomas", "Ruth", "Kofi", "Mei" };
        for (var day = 20; day >= 1; day -= 2)
        {
            var ago = TimeSpan.FromDays(day);
            var asker = names[day % names.Length];
            var question = await fx.Hearth.CommentBeforeAsync(ago, site, page, $"Day {day}: how do you keep the sourdough starter alive in winter?", name: asker);
            var answer = await fx.Hearth.CommentBeforeAsync(ago - TimeSpan.FromHours(2), site, page, "Somewhere warm, and feed it twice a day.",
                question.GetProperty("id").GetInt64(), names[(day + 1) % names.Length]);
            if (day % 4 == 0)
            {
                await fx.Hearth.CommentBeforeAsync(ago - TimeSpan.FromHours(3), site, page, "Thank you, that worked!",
                    answer.GetProperty("id").GetInt64(), asker);
            }
        }
        await fx.Hearth.CommentBeforeAsync(TimeSpan.FromDays(3), site, quiet, "A first visit, and a first comment.", name: "Noor");

        var colours = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light;
        await using var olga = await fx.NewReaderAsync(new() { ColorScheme = colours, ViewportSize = new() { Width = width, Height = 900 } });
        await olga.Page.GotoAsync($"{fx.Hearth.BaseUrl}/account/signin?returnUrl=%2Faccount%2Fmoderate%2F{site}");
        await olga.Page.Locator("#email").FillAsync(email);
        await olga.Page.Locator("#password").FillAsync(Password);
        await olga.Page.Locator("form button[type=submit]").ClickAsync();
        await olga.Page.Locator("header a", new() { HasText = "Dashboard" }).ClickAsync();

        await Expect(olga.Page.Locator("h1")).ToHaveTextAsync($"Dashboard of {site}");
        await Expect(olga.Page.Locator("#total-comments")).ToHaveTextAsync("26");
        await Expect(olga.Page.Locator("#total-commenters")).ToHaveTextAsync("6");
        await Expect(olga.Page.Locator("#belonging-index")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9]{1,3}$"));
        await Expect(olga.Page.Locator("figure.chart svg[role=img]")).ToHaveCountAsync(3);
        await Expect(olga.Page.Locator("#comments-chart-desc")).ToContainTextAsync("26 comments over 30 days");
        await Expect(olga.Page.Locator("#table-conversations tbody tr")).ToHaveCountAsync(2);
        // Nothing wider than the screen, on a phone too.
        Assert.True(await olga.Page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"),
            "the dashboard scrolls sideways");
        await olga.ScreenshotAsync($"dashboard-{scheme}-{width}");
        await olga.Page.Locator("figure.chart").First.ScreenshotAsync(new() { Path = Screenshots.PathFor($"dashboard-chart-{scheme}-{width}") });
        await olga.Page.Locator("figure.chart").Last.ScreenshotAsync(new() { Path = Screenshots.PathFor($"dashboard-depths-{scheme}-{width}") });

        // The table behind the chart, for anyone who does not read charts.
        await olga.Page.Locator("#activity ~ details summary").First.ClickAsync();
        await Expect(olga.Page.Locator("#table-days tbody tr")).ToHaveCountAsync(30);

        // One thread's numbers, from the top conversations.
        await olga.Page.Locator("#table-conversations a").First.ClickAsync();
        await Expect(olga.Page.Locator("h1")).ToHaveTextAsync($"Dashboard of a thread of {site}");
        await Expect(olga.Page.Locator("#total-comments")).ToHaveTextAsync("25");
        await olga.ScreenshotAsync($"dashboard-thread-{scheme}-{width}");

        // All her sites side by side (she runs this one): its line says what its dashboard says.
        await olga.Page.GotoAsync($"{fx.Hearth.BaseUrl}/account/sites");
        await olga.Page.Locator("a", new() { HasText = "All your sites side by side" }).ClickAsync();
        await Expect(olga.Page.Locator($"#table-sites tr[data-site={site}] td").First).ToHaveTextAsync("26");
        await Expect(olga.Page.Locator("#sites-chart-desc")).ToContainTextAsync($"{site}: 26 comments");
        Assert.True(await olga.Page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"),
            "the page of all sites scrolls sideways");
        await olga.ScreenshotAsync($"dashboard-all-sites-{scheme}-{width}");
        Assert.Empty(olga.PageErrors);
    }

    [Fact]
    public async Task The_widget_counts_a_page_view_but_not_for_a_reader_who_asks_not_to_be_tracked()
    {
        var site = await fx.CreateSiteAsync();
        // Three readers on three pages of the site (all browsers here share one address, and a reader counts once per
        // page); two of them ask not to be tracked, in the browser only (no header), so it is the widget that must not
        // ask to count them.
        foreach (var script in new[]
        {
            "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })",
            "Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' })",
            null,
        })
        {
            await using var reader = await fx.NewReaderAsync();
            if (script is not null)
            {
                await reader.Context.AddInitScriptAsync(script);
            }
            await reader.OpenAsync(fx.AddArticle(fx.SnippetFor(site)));
            Assert.Empty(reader.PageErrors);
        }
        await fx.Hearth.Services.GetRequiredService<Hearth.Analytics.ViewCounter>().FlushAsync(CancellationToken.None);
        await using var scope = fx.Hearth.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Hearth.Storage.HearthDb>();
        var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
        var views = await db.PageViews.Where(v => v.SiteId == siteId && v.ThreadKeyHash == Hearth.Analytics.ViewCounter.AllPages).SumAsync(v => v.Views);
        Assert.Equal(1, views);
    }
}
