using System.Collections.Concurrent;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

/// <summary>
/// What a reader and the site's owner see when the thread cannot load: a short, kind line in the widget's language
/// for the reader, and in the console exactly what is wrong with the command that fixes it.
/// </summary>
[Collection(WidgetCollection.Name)]
public class LoadErrorTests(BrowserFixture fx)
{
    [Fact]
    public async Task An_unknown_site_tells_the_reader_kindly_and_the_owner_which_command_creates_it()
    {
        var url = fx.AddArticle(fx.SnippetFor("no-such-blog"));
        await using var reader = await fx.NewReaderAsync();
        var console = Console(reader);
        await reader.Page.GotoAsync(url);

        await Expect(reader.Thread.Locator("[role=alert]")).ToHaveTextAsync("Comments are not available on this page yet.");
        await Wait.UntilAsync(() => console.Any(m => m.Contains($"hearth sites add no-such-blog --origin {fx.Host.Origin}")), "the console to name the command");
        Assert.DoesNotContain(console, m => m.Contains("Failed to fetch"));
        await Expect(reader.Thread.Locator("button", new() { HasText = "Try again" })).ToHaveCountAsync(0);
        await reader.ScreenshotAsync("load-error-unknown-site");
    }

    [Fact]
    public async Task A_page_on_an_origin_the_site_does_not_allow_says_so_in_German_and_names_the_command_that_allows_it()
    {
        var site = await fx.Hearth.CreateSiteAsync("https://elsewhere.example");
        var url = fx.AddArticle(fx.SnippetFor(site), lang: "de");
        await using var reader = await fx.NewReaderAsync();
        var console = Console(reader);
        await reader.Page.GotoAsync(url);

        await Expect(reader.Thread.Locator("[role=alert]")).ToHaveTextAsync("Kommentare gibt es auf dieser Seite noch nicht.");
        await Wait.UntilAsync(() => console.Any(m => m.Contains($"hearth sites set {site} --origin {fx.Host.Origin}")), "the console to name the command");
        Assert.Contains(console, m => m.Contains("does not allow pages on " + fx.Host.Origin));
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_leaves_a_line_for_the_reader_not_an_empty_area()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        await using var reader = await fx.NewReaderAsync();
        var console = Console(reader);
        // The snippet's script came (from a cache, say), and then the server went away.
        await reader.Page.RouteAsync(fx.Hearth.BaseUrl + "/**", route =>
            new Uri(route.Request.Url).AbsolutePath == "/embed.js" ? route.ContinueAsync() : route.AbortAsync("connectionrefused"));
        await reader.Page.GotoAsync(url);

        await Expect(reader.Thread).ToContainTextAsync("The comments could not be loaded. Please try again later.");
        await Wait.UntilAsync(() => console.Any(m => m.Contains("could not be loaded from " + fx.Hearth.BaseUrl)), "the console to say what failed");
        await reader.ScreenshotAsync("load-error-server-down");
    }

    [Fact]
    public async Task When_only_the_API_cannot_be_reached_the_widget_says_so_and_loads_on_try_again()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        await fx.Hearth.CommentAsync(site, url, "Still here after the outage.", name: "Ada");
        await using var reader = await fx.NewReaderAsync();
        var console = Console(reader);
        await reader.Page.RouteAsync("**/api/v1/**", route => route.AbortAsync("connectionrefused"));
        await reader.Page.GotoAsync(url);

        await Expect(reader.Thread.Locator("[role=alert]")).ToHaveTextAsync("Could not reach the server. Check your connection and try again.");
        await Wait.UntilAsync(() => console.Any(m => m.Contains(fx.Hearth.BaseUrl + " cannot be reached")), "the console to say what failed");
        await reader.ScreenshotAsync("load-error-api-down");

        await reader.Page.UnrouteAllAsync();
        await reader.Thread.Locator("button", new() { HasText = "Try again" }).ClickAsync();
        await Expect(reader.Comment("Still here after the outage.")).ToHaveCountAsync(1);
    }

    static ConcurrentQueue<string> Console(Reader reader)
    {
        var messages = new ConcurrentQueue<string>();
        reader.Page.Console += (_, message) => messages.Enqueue(message.Type + ": " + message.Text);
        return messages;
    }
}
