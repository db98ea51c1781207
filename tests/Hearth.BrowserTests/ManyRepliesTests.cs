using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

/// <summary>
/// A comment with more replies than a page carries: the widget shows the first ones and a button under them, which
/// brings the rest in shares until there are no more.
/// </summary>
[Collection(WidgetCollection.Name)]
public class ManyRepliesTests(BrowserFixture fx)
{
    static readonly string[] Words =
    [
        "harbour", "lantern", "orchard", "granite", "meadow", "thimble", "quarry", "bramble", "saffron", "juniper", "pebble",
        "chimney", "walnut", "heron", "marble", "tundra", "copper", "willow", "ember", "falcon", "ginger", "hazel", "indigo",
        "kestrel", "lichen", "mango", "nutmeg", "oyster", "parsley", "quince", "rhubarb", "sorrel", "thistle", "umber", "velvet",
        "wicker", "yarrow", "zephyr", "acorn", "badger", "cobalt", "dahlia", "fennel", "gravel", "hollow", "island", "jasper",
    ];

    /// <summary>Words of its own for each answer, so none looks like a copy of another.</summary>
    static string Answer(int i)
    {
        var random = new Random(i);
        return $"Answer {i}: " + string.Join(' ', Enumerable.Range(0, 9).Select(_ => Words[random.Next(Words.Length)])) + ".";
    }

    [Fact]
    public async Task Replies_past_what_a_page_carries_come_when_the_reader_asks_for_them()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        var root = (await fx.Hearth.CommentAsync(site, url, "Which way to the harbour?", name: "Asker")).Id();
        const int answers = 130;
        for (var i = 1; i <= answers; i++)
        {
            await fx.Hearth.CommentAsync(site, url, Answer(i), root, name: $"Answerer {i}");
        }

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        await Expect(reader.Comments).ToHaveCountAsync(101);
        var more = reader.Thread.Locator("button.more-replies");
        await Expect(more).ToHaveCountAsync(1);
        await more.ScrollIntoViewIfNeededAsync();
        await reader.ScreenshotAsync("many-replies", fullPage: false);

        await more.ClickAsync();
        await Expect(reader.Comments).ToHaveCountAsync(1 + answers);
        await Expect(more).ToHaveCountAsync(0);
        await Expect(reader.Comment($"Answer {answers}:")).ToHaveAttributeAsync("aria-level", "2");
        // Focus goes on at the first reply that came in.
        await Expect(reader.Thread.Locator("article:focus")).ToContainTextAsync("Answer 101:");
        Assert.Empty(reader.PageErrors);
    }
}
