using Hearth.Sites;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

/// <summary>What the author of a comment readers do not see sees, before and after a reload.</summary>
[Collection(WidgetCollection.Name)]
public class HeldCommentsTests(BrowserFixture fx)
{
    [Fact]
    public async Task A_shadow_banned_guest_keeps_seeing_their_comment_after_a_reload_and_nobody_else_sees_it()
    {
        var site = await fx.CreateSiteAsync();
        await fx.Hearth.ShadowBanAsync(site, "shade@mail.example");
        var url = fx.AddArticle(fx.SnippetFor(site));
        await fx.Hearth.CommentAsync(site, url, "The lock keeper waves at every boat.", name: "Regular");

        await using var shade = await fx.NewReaderAsync();
        await shade.OpenAsync(url);
        await shade.Composer.Locator("input[name=email]").FillAsync("shade@mail.example");
        await shade.PostAsync("Nobody here knows anything about boats.", name: "Shade");
        await Expect(shade.Comment("anything about boats")).ToHaveCountAsync(1);
        await shade.Page.ReloadAsync();
        var own = shade.Comment("anything about boats");
        await Expect(own).ToHaveCountAsync(1);
        await Expect(own.Locator("> article .note")).ToHaveCountAsync(0);
        await Expect(shade.Thread.Locator("h2")).ToHaveTextAsync("2 comments");

        await using var other = await fx.NewReaderAsync();
        await other.OpenAsync(url);
        await Expect(other.Comment("waves at every boat")).ToHaveCountAsync(1);
        await Expect(other.Comment("anything about boats")).ToHaveCountAsync(0);
        await Expect(other.Thread.Locator("h2")).ToHaveTextAsync("1 comment");
        Assert.Empty(shade.PageErrors);
    }

    [Fact]
    public async Task A_comment_awaiting_moderation_stays_visible_to_its_author_until_it_is_approved()
    {
        var site = await fx.CreateSiteAsync();
        await fx.Hearth.ConfigureSiteAsync(site, s => s.Moderation = ModerationMode.Pre);
        var url = fx.AddArticle(fx.SnippetFor(site));

        await using var writer = await fx.NewReaderAsync();
        await writer.OpenAsync(url);
        await writer.PostAsync("Is the towpath open in winter?", name: "Asker");
        await Expect(writer.Comment("towpath open").Locator("> article .note")).ToContainTextAsync("Awaiting moderation");
        await writer.Page.ReloadAsync();
        await Expect(writer.Comment("towpath open").Locator("> article .note")).ToContainTextAsync("Awaiting moderation");
        await writer.ScreenshotAsync("own-comment-awaiting-moderation");

        await fx.Hearth.ApproveAllAsync(site);
        await writer.Page.ReloadAsync();
        var approved = writer.Comment("towpath open");
        await Expect(approved).ToHaveCountAsync(1);
        await Expect(approved.Locator("> article .note")).ToHaveCountAsync(0);
        Assert.Empty(writer.PageErrors);
    }
}
