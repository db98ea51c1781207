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

    [Fact]
    public async Task The_team_member_a_page_names_as_its_author_wears_the_author_badge_there()
    {
        var site = await fx.CreateSiteAsync();
        var email = $"ana-{site}@newsroom.example";
        await fx.Hearth.CreateAccountAsync(email, "Ana Writer", "a long enough password 1");
        await fx.Hearth.MakeModeratorAsync(email, site);
        var snippet = fx.SnippetFor(site);
        var article = fx.AddArticle(snippet with { Author = "Ana Writer" });
        var question = await fx.Hearth.CommentAsync(site, article, "Who took the harbour photographs?", name: "Gus");
        await fx.Hearth.AccountCommentAsync(email, site, article, "I did, from the lighthouse at dawn.", question.Id());

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(article);
        var badges = reader.Comment("lighthouse").Locator("> article .badge");
        await Expect(badges).ToHaveTextAsync(["Author", "Moderator"]);
        await Expect(reader.Comment("harbour photographs").Locator("> article .badge")).ToHaveTextAsync(["New here"]);
        await reader.ScreenshotAsync("badge-page-author", fullPage: false);

        // The same words on a page whose snippet names nobody: she is a moderator there, not its author.
        var other = fx.AddArticle(snippet);
        await fx.Hearth.AccountCommentAsync(email, site, other, "A note from the desk on another story.");
        await reader.OpenAsync(other);
        await Expect(reader.Comment("note from the desk").Locator("> article .badge")).ToHaveTextAsync(["Moderator"]);
    }
}
