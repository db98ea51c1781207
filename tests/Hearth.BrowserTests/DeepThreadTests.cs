using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

/// <summary>
/// A chain of replies as deep as the server allows (Hearth:MaxReplyDepth, 10 by default) and past it: the widget draws
/// every comment without a script error, and each reply drawn flat or placed beside the deepest comment says whom it
/// answers, also when it arrives live or is written in the widget.
/// </summary>
[Collection(WidgetCollection.Name)]
public class DeepThreadTests(BrowserFixture fx)
{
    const int MaxReplyDepth = 10;

    [Fact]
    public async Task A_thread_at_the_maximum_depth_renders_with_the_names_each_reply_answers()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        // Two past the maximum: those land beside the deepest comment.
        const int length = MaxReplyDepth + 3;
        long? parent = null;
        for (var level = 0; level < length; level++)
        {
            parent = (await fx.Hearth.CommentAsync(site, url, $"Answer number {level}.", parent, name: $"Writer {level}")).Id();
        }

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        await Expect(reader.Comments).ToHaveCountAsync(length);
        await Expect(reader.Thread.Locator("h2")).ToHaveTextAsync($"{length.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("en"))} comments");
        // Indented as far as the widget indents (three levels), flat below, every reply there naming whom it answers.
        await Expect(reader.Comment("Answer number 1.")).ToHaveAttributeAsync("aria-level", "2");
        for (var level = 3; level < length; level++)
        {
            await Expect(Article(reader, level).Locator("header")).ToContainTextAsync($"in reply to Writer {level - 1}");
        }
        await Expect(Article(reader, 1).Locator("header")).Not.ToContainTextAsync("in reply to");
        await reader.ScreenshotAsync("deep-thread");

        // Written in the widget, as an answer to the deepest comment.
        await Article(reader, length - 1).Locator("footer button", new() { HasText = "Reply" }).ClickAsync();
        var form = reader.Thread.Locator("form.composer[data-for]");
        await form.Locator("textarea").FillAsync("Written in the widget.");
        await form.Locator("input[name=name]").FillAsync("Reader");
        await form.Locator("button[type=submit]").ClickAsync();
        var written = reader.Thread.Locator("article.comment", new() { HasText = "Written in the widget." });
        await Expect(written.Locator("header")).ToContainTextAsync($"in reply to Writer {length - 1}");

        // Arriving live, with only the id of the comment it answers: the widget finds the name itself.
        var deepest = await fx.Hearth.CommentAsync(site, url, "Arrived live.", parent, name: "Latecomer");
        Assert.Equal(parent, deepest.GetProperty("replyTo").GetProperty("id").GetInt64());
        await reader.Thread.Locator("button.new").ClickAsync();
        var live = reader.Thread.Locator("article.comment", new() { HasText = "Arrived live." });
        await Expect(live.Locator("header")).ToContainTextAsync($"in reply to Writer {length - 1}");
        await Expect(reader.Comments).ToHaveCountAsync(length + 2);

        Assert.Empty(reader.PageErrors);
    }

    [Fact]
    public async Task A_chain_deeper_than_any_stack_is_drawn_flat_without_a_script_error()
    {
        // Hearth no longer stores such a chain; the widget must survive one anyway (an older server, a proxy's cache),
        // so the page it reads is made up here.
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        const int length = 20_000;
        var comments = Enumerable.Range(1, length).Select(id => new
        {
            id,
            parentId = id == 1 ? (int?)null : id - 1,
            author = new { name = $"Writer {id}", avatarUrl = "/api/v1/avatars/x.svg", badges = Array.Empty<string>() },
            html = $"<p>Answer number {id}.</p>",
            createdAt = DateTime.UtcNow.AddMinutes(id - length),
            score = 0,
            status = "published",
        });
        var page = System.Text.Json.JsonSerializer.Serialize(new
        {
            thread = new { id = 1, url, title = "Deep", commentCount = length, locked = false },
            comments,
            nextCursor = (string?)null,
            lastEventId = 0,
        });

        await using var reader = await fx.NewReaderAsync();
        await reader.Page.RouteAsync("**/api/v1/sites/*/thread?**", route => route.FulfillAsync(new() { ContentType = "application/json", Body = page }));
        await reader.OpenAsync(url);
        await Expect(reader.Thread.Locator("h2")).ToHaveTextAsync($"{length.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("en"))} comments");
        await Expect(reader.Comments).ToHaveCountAsync(length, new() { Timeout = 60_000 });
        await Expect(Article(reader, length).Locator("header")).ToContainTextAsync($"in reply to Writer {length - 1}");
        Assert.Empty(reader.PageErrors);
    }

    static Microsoft.Playwright.ILocator Article(Reader reader, int level) =>
        reader.Thread.Locator("article.comment", new() { HasText = $"Answer number {level}." });
}
