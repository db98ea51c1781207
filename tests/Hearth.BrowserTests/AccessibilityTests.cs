using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

[Collection(WidgetCollection.Name)]
public class AccessibilityTests(BrowserFixture fx)
{
    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task Axe_finds_nothing_serious_in_the_widget(string theme)
    {
        var site = await fx.CreateSiteAsync();
        var background = theme == "dark" ? "background: #0e0f12; color: #ddd;" : null;
        var url = fx.Host.Add(HostPage.Article(fx.SnippetFor(site) with { Theme = theme }, bodyStyle: background));
        var first = await fx.Hearth.CommentBeforeAsync(TimeSpan.FromDays(2), site, url, "A *quoted* remark:\n\n> with a quote\n\n`and code`", name: "Ada");
        await fx.Hearth.CommentAsync(site, url, "A reply with [a link](https://example.org/).", first.Id(), name: "Grace", website: "https://grace.example/");
        await fx.Hearth.CommentAsync(site, url, "Another thought.", name: "Linus");

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        await Expect(reader.Comments).ToHaveCountAsync(3);
        // Open states count too: a reply form, a pressed vote, an error message, a new-comments bar.
        await reader.Comment("Another thought.").Locator("> article button.vote.up").ClickAsync();
        await Expect(reader.Comment("Another thought.").Locator("> article button.vote.up")).ToHaveAttributeAsync("aria-pressed", "true");
        await reader.Comment("quoted").Locator("> article button", new() { HasText = "Reply" }).ClickAsync();
        await reader.Composer.Locator("button[type=submit]").ClickAsync();
        await Expect(reader.Composer.Locator(".error")).Not.ToBeEmptyAsync();
        await fx.Hearth.CommentAsync(site, url, "Arrived live.", name: "Bob");
        await Expect(reader.Thread.Locator("button.new")).ToBeVisibleAsync();
        await reader.ScreenshotAsync("axe-" + theme);

        var result = await reader.Thread.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, "axe found:\n" + string.Join("\n", serious.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join("; ", v.Nodes.Select(n => n.Target?.ToString() + " " + n.Html + " " + string.Join(", ", n.Any.Concat(n.All).Concat(n.None).Select(c => c.Message))))}")));
        // Rules that ran and passed, so an empty list is not a scan that looked at nothing.
        Assert.Contains(result.Passes, p => p.Id == "color-contrast");
        Assert.Contains(result.Passes, p => p.Id == "button-name");
    }
}
