using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

/// <summary>The comment form says what it needs: how long a comment may be, what the preview is doing, fields in line.</summary>
[Collection(WidgetCollection.Name)]
public class ComposerHelpTests(BrowserFixture fx)
{
    [Fact]
    public async Task A_comment_over_the_limit_is_told_how_long_it_may_be_with_a_counter_that_appears_near_the_limit()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        var text = reader.Composer.Locator("textarea");
        var counter = reader.Composer.Locator(".count");
        var error = reader.Composer.Locator(".error");

        await reader.Composer.Locator("button[type=submit]").ClickAsync();
        await Expect(error).ToHaveTextAsync("Please write something first.");

        await text.FillAsync(new string('a', 8_999));
        await Expect(counter).ToBeHiddenAsync();
        await text.FillAsync(new string('a', 9_500));
        await Expect(counter).ToHaveTextAsync("9,500 / 10,000");
        await Expect(counter).ToBeVisibleAsync();

        await text.FillAsync(new string('a', 10_001));
        await Expect(counter).ToHaveTextAsync("10,001 / 10,000");
        await reader.Composer.Locator("input[name=name]").FillAsync("Ada");
        await reader.Composer.Locator("button[type=submit]").ClickAsync();
        await Expect(error).ToHaveTextAsync("That is 10,001 characters: a comment may have at most 10,000.");
        await Expect(text).ToBeFocusedAsync();
        await reader.ScreenshotAsync("composer-too-long");

        // Exactly at the limit it is posted.
        await text.FillAsync(new string('a', 10_000));
        await reader.Composer.Locator("button[type=submit]").ClickAsync();
        await Expect(reader.Comments).ToHaveCountAsync(1);
        await Expect(error).ToBeEmptyAsync();
    }

    [Fact]
    public async Task The_preview_shows_that_it_is_loading_and_says_when_there_is_nothing_to_show()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        var text = reader.Composer.Locator("textarea");
        var tab = reader.Composer.Locator("button", new() { HasText = "Preview" });
        var preview = reader.Composer.Locator(".preview");

        await text.FillAsync("   ");
        await tab.ClickAsync();
        await Expect(preview).ToHaveTextAsync("Nothing to preview yet.");
        await reader.Composer.Locator("button", new() { HasText = "Write" }).ClickAsync();

        // Only invisible characters: the server draws nothing, and the preview says so rather than showing an empty box.
        await text.FillAsync("\u200B\u200B");
        await tab.ClickAsync();
        await Expect(preview).ToHaveTextAsync("Nothing to preview yet.");
        await reader.Composer.Locator("button", new() { HasText = "Write" }).ClickAsync();

        // The server's answer is held back until the loading state has been seen.
        var release = new TaskCompletionSource();
        await reader.Page.RouteAsync("**/preview", async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });
        await text.FillAsync("**Bold** words.");
        await tab.ClickAsync();
        await Expect(preview).ToHaveTextAsync("Loading preview…");
        await Expect(preview).ToHaveAttributeAsync("aria-busy", "true");
        release.SetResult();
        await Expect(preview.Locator("strong")).ToHaveTextAsync("Bold");
        await Expect(preview).Not.ToHaveAttributeAsync("aria-busy", "true");
    }

    [Theory]
    [InlineData(900, "desktop")]
    [InlineData(390, "phone")]
    public async Task The_guest_fields_line_up(int width, string name)
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        await using var reader = await fx.NewReaderAsync(new() { ViewportSize = new() { Width = width, Height = 900 } });
        await reader.OpenAsync(url);
        // The three text fields; the reply-mail tick under them is a line of its own.
        var fields = reader.Composer.Locator(".who label:not(.tick) input");
        await Expect(fields).ToHaveCountAsync(3);
        var boxes = new List<LocatorBoundingBoxResult>();
        for (var i = 0; i < 3; i++)
        {
            boxes.Add((await fields.Nth(i).BoundingBoxAsync())!);
        }
        var labels = reader.Composer.Locator(".who label:not(.tick)");
        var labelBoxes = new List<LocatorBoundingBoxResult>();
        for (var i = 0; i < 3; i++)
        {
            labelBoxes.Add((await labels.Nth(i).BoundingBoxAsync())!);
        }
        // Each label starts where its neighbours start and its field follows at the same distance: nothing wraps
        // onto a line of its own in one column only.
        var gaps = boxes.Zip(labelBoxes, (field, label) => field.Y - label.Y).ToList();
        Assert.True(gaps.Max() - gaps.Min() < 1, $"Labels take different heights: {string.Join(", ", gaps)}");
        if (width >= 600)
        {
            Assert.True(boxes.Select(b => b.Y).Distinct().Count() == 1, "The three fields are not in one row on a wide screen.");
        }
        await reader.Composer.ScreenshotAsync(new() { Path = Screenshots.PathFor("guest-fields-" + name) });
    }
}
