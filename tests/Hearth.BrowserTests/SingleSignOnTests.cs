using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

[Collection(WidgetCollection.Name)]
public class SingleSignOnTests(BrowserFixture fx)
{
    [Fact]
    public async Task A_shop_customer_signed_in_by_the_shop_comments_as_themselves_with_their_badge_and_no_cookie()
    {
        var site = await fx.CreateSiteAsync();
        var token = await fx.Hearth.SsoTokenAsync(site, "customer-981", "Dana Fischer", "verified-buyer");
        var url = fx.AddArticle(fx.SnippetFor(site) with { SsoToken = token });

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        await Expect(reader.Composer.Locator(".who")).ToContainTextAsync("Commenting as Dana Fischer");
        await Expect(reader.Composer.Locator("input[name=name]")).ToHaveCountAsync(0);
        await reader.ScreenshotAsync("signed-in-composer");

        await reader.PostAsync("The boots survived a whole winter of towpath walks.");

        var mine = reader.Comment("whole winter");
        await Expect(mine.Locator("> article .name")).ToHaveTextAsync("Dana Fischer");
        await Expect(mine.Locator("> article .badge")).ToHaveTextAsync("Verified buyer");
        // A reply form opened afterwards knows who is writing too.
        await mine.Locator("> article button:text('Reply')").ClickAsync();
        await Expect(reader.Thread.Locator("form[data-for] .who")).ToContainTextAsync("Commenting as Dana Fischer");
        await reader.ScreenshotAsync("signed-in-comment");
        // Sign-in rides on the token the page carries, not on cookies a browser may block on a third-party origin.
        Assert.Empty(await reader.Context.CookiesAsync([fx.Hearth.BaseUrl]));
        Assert.Empty(reader.PageErrors);
        Assert.Empty(reader.ForeignRequests());
    }

    [Fact]
    public async Task A_token_the_server_refuses_leaves_the_reader_able_to_comment_as_a_guest()
    {
        var site = await fx.CreateSiteAsync();
        var other = await fx.CreateSiteAsync();
        // Signed for another site: the audience is wrong here.
        var token = await fx.Hearth.SsoTokenAsync(other, "customer-1", "Mallory");
        var url = fx.AddArticle(fx.SnippetFor(site) with { SsoToken = token });

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        await Expect(reader.Composer.Locator(".who .note")).ToContainTextAsync("Signing in through this site did not work");
        await reader.PostAsync("Guest after all.", name: "Mal");
        await Expect(reader.Comment("Guest after all").Locator("> article .name")).ToHaveTextAsync("Mal");
        Assert.Empty(reader.PageErrors);
    }
}
