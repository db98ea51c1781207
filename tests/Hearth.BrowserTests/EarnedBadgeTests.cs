using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

[Collection(WidgetCollection.Name)]
public class EarnedBadgeTests(BrowserFixture fx)
{
    [Fact]
    public async Task Someone_new_to_the_site_wears_the_newcomer_badge_in_the_readers_language()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        await fx.Hearth.CommentAsync(site, url, "My first words on this blog.", name: "Nell");

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        await Expect(reader.Comment("first words").Locator("> article .badge")).ToHaveTextAsync("New here");
        await reader.ScreenshotAsync("badge-newcomer", fullPage: false);

        var german = fx.AddArticle(fx.SnippetFor(site) with { Lang = "de" }, lang: "de");
        await fx.Hearth.CommentAsync(site, german, "Zum ersten Mal hier.", name: "Nele");
        await using var leser = await fx.NewReaderAsync();
        await leser.OpenAsync(german);
        await Expect(leser.Comment("ersten Mal").Locator("> article .badge")).ToHaveTextAsync("Neu hier");
    }
}
