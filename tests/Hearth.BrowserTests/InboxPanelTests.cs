using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

[Collection(WidgetCollection.Name)]
public class InboxPanelTests(BrowserFixture fx)
{
    [Theory]
    [InlineData("light", 1280)]
    [InlineData("dark", 390)]
    public async Task A_signed_in_reader_sees_replies_to_them_with_a_count_of_new_ones_and_marks_them_read(string scheme, int width)
    {
        var site = await fx.CreateSiteAsync();
        var token = await fx.Hearth.SsoTokenAsync(site, "customer-" + scheme, "Dana Fischer");
        var url = fx.AddArticle(fx.SnippetFor(site) with { SsoToken = token });

        await using var reader = await fx.NewReaderAsync(new()
        {
            ColorScheme = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
            ViewportSize = new() { Width = width, Height = 900 },
        });
        await reader.OpenAsync(url);
        var button = reader.Thread.Locator(".head button.inbox");
        await Expect(button).ToHaveTextAsync("Replies to you");
        await reader.PostAsync("Does the green teapot keep tea hot for an hour?");
        var mine = (await reader.Comment("green teapot").Locator("> article").GetAttributeAsync("id"))![1..];

        await fx.Hearth.CommentAsync(site, url, "Mine keeps it *warm* for about fifty minutes <script>alert(1)</script>.", long.Parse(mine), "Rosa Reply");
        // The count is asked for when the page opens (and every minute while it is in view).
        await reader.OpenAsync(url);
        await Expect(button).ToHaveTextAsync("Replies to you: 1 new");
        await button.ClickAsync();
        var panel = reader.Thread.Locator("section.inbox");
        await Expect(panel).ToBeVisibleAsync();
        await Expect(button).ToHaveAttributeAsync("aria-expanded", "true");
        var item = panel.Locator("li.unread");
        await Expect(item).ToContainTextAsync("Rosa Reply");
        await Expect(item.Locator(".body em")).ToHaveTextAsync("warm");
        await Expect(item.Locator("script")).ToHaveCountAsync(0);
        await Expect(item.Locator("a")).ToHaveAttributeAsync("href", url);
        await reader.ScreenshotAsync($"inbox-panel-{scheme}-{width}");

        await panel.Locator("button.mark-read").ClickAsync();
        await Expect(panel.Locator("li.unread")).ToHaveCountAsync(0);
        await Expect(button).ToHaveTextAsync("Replies to you");
        await reader.OpenAsync(url);
        await Expect(button).ToHaveTextAsync("Replies to you");
        Assert.Empty(reader.PageErrors);
        Assert.Empty(reader.Dialogs);
    }
}
