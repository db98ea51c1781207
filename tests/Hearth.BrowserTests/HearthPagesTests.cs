using Hearth.Sites;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

/// <summary>Hearth's own pages as a newcomer finds them: the home page, a wrong address, the account and its forms.</summary>
[Collection(WidgetCollection.Name)]
public class HearthPagesTests(BrowserFixture fx)
{
    const string Password = "a long enough passphrase";

    /// <summary>A person with an account who owns a site, signed in on the account pages.</summary>
    async Task<(string Site, Reader Owner)> SignedInOwnerAsync()
    {
        var site = await fx.CreateSiteAsync();
        var email = $"owner-{Guid.NewGuid():N}@mail.example";
        await fx.Hearth.CreateAccountAsync(email, "Olwen Price", Password);
        await fx.Hearth.MakeModeratorAsync(email, site, Hearth.Identity.SiteRole.Owner);
        var owner = await fx.NewReaderAsync();
        await owner.Page.GotoAsync($"{fx.Hearth.BaseUrl}/account/signin");
        await owner.Page.Locator("#email").FillAsync(email);
        await owner.Page.Locator("#password").FillAsync(Password);
        await owner.Page.Locator("form button[type=submit]").ClickAsync();
        await Expect(owner.Page.Locator("h1")).ToHaveTextAsync("Olwen Price");
        return (site, owner);
    }

    [Fact]
    public async Task The_home_page_leads_a_newcomer_to_signing_in_and_on_to_the_sites_they_run()
    {
        var (site, owner) = await SignedInOwnerAsync();
        await using var _ = owner;
        var page = owner.Page;

        await page.GotoAsync(fx.Hearth.BaseUrl + "/");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Welcome to Hearth");
        await Expect(page.Locator("a.action", new() { HasText = "Sign in" })).ToBeVisibleAsync();
        await Expect(page.Locator("a.action", new() { HasText = "Create an account" })).ToBeVisibleAsync();
        await owner.ScreenshotAsync("home");

        await page.Locator("a", new() { HasText = "Moderate your sites" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Moderate");
        await Expect(page.Locator($"a[href='/account/moderate/{site}']")).ToBeVisibleAsync();

        await page.GotoAsync(fx.Hearth.BaseUrl + "/");
        await page.Locator("a", new() { HasText = "Your account" }).ClickAsync();
        await page.Locator("a", new() { HasText = $"Moderate {site}" }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync($"Moderate {site}");
        Assert.Empty(owner.PageErrors);
    }

    [Fact]
    public async Task A_wrong_address_shows_a_page_with_a_way_home()
    {
        await using var reader = await fx.NewReaderAsync();
        var response = await reader.Page.GotoAsync(fx.Hearth.BaseUrl + "/blog/a-post-that-moved");

        Assert.Equal(404, response!.Status);
        await Expect(reader.Page.Locator("h1")).ToHaveTextAsync("Not found");
        // Its style applies: the policy lets the page's own style element run.
        await Expect(reader.Page.Locator("body")).ToHaveCSSAsync("max-width", "448px");
        await reader.ScreenshotAsync("not-found");
        await reader.Page.Locator("a", new() { HasText = "Go to the home page" }).ClickAsync();
        await Expect(reader.Page.Locator("h1")).ToHaveTextAsync("Welcome to Hearth");
    }

    [Fact]
    public async Task The_account_page_names_each_session_s_browser_and_lists_the_sites_one_runs()
    {
        var (site, owner) = await SignedInOwnerAsync();
        await using var _ = owner;
        var page = owner.Page;

        // Headless Chromium on this machine says "HeadlessChrome/... (X11; Linux x86_64)".
        await Expect(page.Locator("table")).ToContainTextAsync("Chrome on Linux");
        await Expect(page.Locator("table")).Not.ToContainTextAsync("Mozilla/");
        await Expect(page.Locator("ul.sites a").First).ToHaveTextAsync($"Moderate {site}");
        await Expect(page.Locator("ul.sites a", new() { HasText = "its dashboard" })).ToHaveAttributeAsync("href", $"/account/moderate/{site}/dashboard");
        await owner.ScreenshotAsync("account-home");
    }

    [Fact]
    public async Task The_token_page_s_site_selector_is_as_large_as_the_other_fields_and_lines_up_with_them()
    {
        var (_, owner) = await SignedInOwnerAsync();
        await using var __ = owner;
        var page = owner.Page;
        await page.GotoAsync(fx.Hearth.BaseUrl + "/account/tokens");

        var select = page.Locator("select#site");
        var label = page.Locator("label[for=site]");
        var button = page.Locator("form button[type=submit]");
        var main = await page.Locator("main").BoundingBoxAsync();
        var box = await select.BoundingBoxAsync();
        var labelBox = await label.BoundingBoxAsync();
        var buttonBox = await button.BoundingBoxAsync();
        // As wide as the column and as tall as a text field, its left edge on the label's, the button below it.
        Assert.InRange(box!.Width, main!.Width - 1, main.Width + 1);
        Assert.True(box.Height >= 36, $"The selector is {box.Height}px tall.");
        Assert.InRange(box.X, labelBox!.X - 1, labelBox.X + 1);
        Assert.True(buttonBox!.Y >= box.Y + box.Height, "The button sits beside the selector instead of below it.");
        await Expect(select).ToHaveCSSAsync("font-size", "17px");
        await owner.ScreenshotAsync("api-tokens");

        await button.ClickAsync();
        await Expect(page.Locator("#new-token")).ToBeVisibleAsync();
        var token = await page.Locator("#new-token").BoundingBoxAsync();
        Assert.True(token!.X + token.Width <= main.X + main.Width + 1, "The new token runs out of the column.");
        await owner.ScreenshotAsync("api-tokens-made");
    }

    [Fact]
    public async Task The_moderation_page_shows_no_bulk_bar_until_a_comment_is_selected()
    {
        var (site, owner) = await SignedInOwnerAsync();
        await using var _ = owner;
        var url = fx.AddArticle(fx.SnippetFor(site));
        await fx.Hearth.ConfigureSiteAsync(site, s => s.Moderation = ModerationMode.Pre);
        await fx.Hearth.CommentAsync(site, url, "Waiting for a look.", name: "Walker");
        var page = owner.Page;

        await page.GotoAsync($"{fx.Hearth.BaseUrl}/account/moderate/{site}");
        await Expect(page.Locator("article.item")).ToHaveCountAsync(1);
        var bar = page.Locator("#bulk");
        await Expect(bar).ToBeHiddenAsync();
        Assert.Null(await bar.BoundingBoxAsync());
        await owner.ScreenshotAsync("moderation-nothing-selected", fullPage: false);

        await page.Locator("article.item input.pick").CheckAsync();
        await Expect(bar).ToBeVisibleAsync();
        await Expect(bar).ToContainTextAsync("1 selected");
        await owner.ScreenshotAsync("moderation-one-selected", fullPage: false);

        await bar.Locator("button", new() { HasText = "Clear" }).ClickAsync();
        await Expect(bar).ToBeHiddenAsync();
        Assert.Empty(owner.PageErrors);
    }
}
