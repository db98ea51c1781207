using System.Collections.Concurrent;
using System.Net.Http.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

/// <summary>A site's community page, Explore and the communities a profile shows, in Chromium: readable, keyboard-reachable, axe-clean.</summary>
[Collection(WidgetCollection.Name)]
public class CommunityPagesTests(BrowserFixture fx)
{
    const string Password = "a long enough passphrase";

    static async Task AxeCleanAsync(IPage page)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, "axe found:\n" + string.Join("\n", serious.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join("; ", v.Nodes.Select(n => n.Html))}")));
        Assert.Contains(result.Passes, p => p.Id == "color-contrast");
    }

    async Task PostAsync(string site, string url, string title, string name, string body)
    {
        using var response = await fx.Hearth.Api.PostAsJsonAsync($"/api/v1/sites/{site}/comments", new { url, title, body, author = new { name } });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("light", 1280)]
    [InlineData("dark", 390)]
    public async Task The_community_page_Explore_and_a_profiles_communities_read_well_by_keyboard_and_pass_axe(string scheme, int width)
    {
        var site = await fx.CreateSiteAsync();
        await fx.Hearth.ConfigureSiteAsync(site, s =>
        {
            s.CommunityPage = true;
            s.ListOnExplore = true;
        });
        var ferry = fx.AddArticle(fx.SnippetFor(site));
        var bridge = fx.AddArticle(fx.SnippetFor(site));
        await PostAsync(site, ferry, "When does the summer ferry start?", "Bo Ferryman", "From the first of May, every hour.");
        await PostAsync(site, ferry, "When does the summer ferry start?", "Cleo <b>Tide</b>", "And the last boat back leaves at nine.");
        await PostAsync(site, bridge, "The old bridge reopens", "Bo Ferryman", "Good news for the market on Saturdays.");
        var email = $"ada-{Guid.NewGuid():N}@mail.example";
        await fx.Hearth.CreateAccountAsync(email, "Ada Hollis", Password);
        await fx.Hearth.AccountCommentAsync(email, site, ferry, "I will take the first one, see you all on board!");

        await using var reader = await fx.NewReaderAsync(new()
        {
            ColorScheme = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
            ViewportSize = new() { Width = width, Height = 900 },
        });
        var page = reader.Page;
        var refused = new ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                refused.Enqueue(message.Text);
            }
        };

        // The community page: the liveliest conversation first, people by the names their comments show, escaped.
        await page.GotoAsync($"{fx.Hearth.BaseUrl}/sites/{site}/community");
        await Expect(page.Locator("h1")).ToHaveTextAsync($"The community of {site}");
        await Expect(page.Locator("main h2")).ToHaveTextAsync(["Lively conversations", "Top contributors", "Recently joined", "Regulars"]);
        var first = page.Locator("ol.lively > li").First;
        await Expect(first.Locator("a.title")).ToHaveTextAsync("When does the summer ferry start?");
        await Expect(first).ToContainTextAsync("3 people, 3 comments");
        await Expect(page.Locator("#top ~ ul.people > li").First).ToContainTextAsync("Bo Ferryman");
        await Expect(page.Locator("ul.people").First).ToContainTextAsync("Cleo <b>Tide</b>");
        await Expect(page.Locator("ul.people a.name", new() { HasText = "Ada Hollis" }).First).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^/people/\\d+$"));
        // The keyboard reaches the conversations first, and the link goes to the page on its own site.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal(ferry, await page.EvaluateAsync<string>("() => document.activeElement.href"));
        await reader.ScreenshotAsync($"community-{scheme}-{width}");
        await AxeCleanAsync(page);

        // Explore lists it, with the site's name, once each node has read it again: it is kept for a few seconds, and an
        // earlier test may have read it just before this site's comments.
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (!(await fx.Hearth.Api.GetStringAsync("/api/v1/explore")).Contains(site, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "Explore did not list the site within 45 s.");
            await Task.Delay(500);
        }
        await page.GotoAsync($"{fx.Hearth.BaseUrl}/explore");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Explore");
        var listed = page.Locator("ol.lively > li", new() { HasText = site });
        await Expect(listed.First.Locator("a.title")).ToHaveTextAsync("When does the summer ferry start?");
        await reader.ScreenshotAsync($"explore-{scheme}-{width}");
        await AxeCleanAsync(page);

        // Ada chooses to show the site on her profile.
        await page.GotoAsync($"{fx.Hearth.BaseUrl}/account/signin?returnUrl=%2Faccount%2Fcommunities");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(Password);
        await page.Locator("form button[type=submit]").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Your communities");
        var box = page.GetByRole(AriaRole.Checkbox, new() { Name = site });
        await Expect(box).Not.ToBeCheckedAsync();
        await box.FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await page.Locator("form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#saved")).ToHaveTextAsync("Saved.");
        await AxeCleanAsync(page);
        await page.Locator("a", new() { HasText = "public profile" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Ada Hollis");
        var communities = page.Locator("ul.communities > li");
        await Expect(communities).ToHaveCountAsync(1);
        await Expect(communities.First).ToContainTextAsync(site);
        await Expect(communities.First).ToContainTextAsync("1 comment since");
        await Expect(communities.First.Locator(".badge")).ToHaveTextAsync("newcomer");
        await reader.ScreenshotAsync($"profile-communities-{scheme}-{width}");
        await AxeCleanAsync(page);

        // Nothing overflows a phone's width.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
        Assert.Empty(refused);
        Assert.Empty(reader.PageErrors);
    }
}
