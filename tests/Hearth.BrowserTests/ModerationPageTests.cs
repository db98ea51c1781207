using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Sites;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

/// <summary>A moderator's working session on the moderation page, by keyboard and by mouse, at desktop and phone widths.</summary>
[Collection(WidgetCollection.Name)]
public class ModerationPageTests(BrowserFixture fx)
{
    const string Password = "a long enough passphrase";

    /// <summary>A pre-moderated site with one published comment and three waiting, and a moderator signed in on the page.</summary>
    async Task<(string Site, string Url, Reader Moderator, IPage Page)> OpenAsync(BrowserNewContextOptions? options = null,
        Hearth.Identity.SiteRole role = Hearth.Identity.SiteRole.Moderator)
    {
        var site = await fx.CreateSiteAsync();
        var email = $"mo-{Guid.NewGuid():N}@mail.example";
        await fx.Hearth.CreateAccountAsync(email, "Mo Derator", Password);
        await fx.Hearth.MakeModeratorAsync(email, site, role);
        var url = fx.AddArticle(fx.SnippetFor(site));
        var opening = await fx.Hearth.CommentAsync(site, url, "The weir was rebuilt in 1887, after the flood.", name: "Historian");
        await fx.Hearth.ConfigureSiteAsync(site, s =>
        {
            s.Moderation = ModerationMode.Pre;
            s.SuspectWords = ["cheap"];
        });
        await fx.Hearth.CommentAsync(site, url, "Was it the same **stone** as the mill?", parentId: opening.Id(), name: "Curious");
        await fx.Hearth.CommentAsync(site, url, "Cheap watches at my shop, best prices", name: "Seller");
        await fx.Hearth.CommentAsync(site, url, "Lovely photos of the lock gates.", name: "Walker");

        var moderator = await fx.NewReaderAsync(options);
        var page = moderator.Page;
        await page.GotoAsync($"{fx.Hearth.BaseUrl}/account/moderate/{site}");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(Password);
        await page.Locator("form button[type=submit]").ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Moderate");
        await Expect(page.Locator("article.item")).ToHaveCountAsync(3);
        return (site, url, moderator, page);
    }

    async Task<List<string>> PublishedAsync(string site, string url)
    {
        var thread = await fx.Hearth.Api.GetFromJsonAsync<JsonElement>($"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}");
        return [.. thread.GetProperty("comments").EnumerateArray().Select(c => c.GetProperty("author").GetProperty("name").GetString()!)];
    }

    [Fact]
    public async Task Newcomers_whose_first_comment_is_unanswered_are_listed_answered_in_place_and_marked_in_the_queue()
    {
        var (site, url, moderator, page) = await OpenAsync();
        await using var _ = moderator;
        // Held comments of people new here carry the team's own marker.
        await Expect(page.Locator("article.item .tag.first").First).ToHaveTextAsync("first comment here");
        await page.Locator("button[data-queue=newcomers]").ClickAsync();
        // The Historian's comment, published before the site held comments, and answered by no one.
        var listed = page.Locator("article.newcomer");
        await Expect(listed).ToHaveCountAsync(1);
        await Expect(listed.Locator(".who strong")).ToHaveTextAsync("Historian");
        await Expect(listed.Locator("a.button")).ToHaveAttributeAsync("href", url + "#hearth-thread");
        await moderator.ScreenshotAsync("moderation-newcomers", fullPage: false);

        // The welcome, without leaving the page: written under the list's entry, posted under the moderator's name.
        // This site reads every comment first, the team's too: the reply waits, and says so.
        await listed.GetByLabel("Your reply to Historian").FillAsync("Thank you, that is new to me. Welcome!");
        await listed.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("p.done")).ToHaveTextAsync("Your reply to Historian waits in the queue, as every comment on this site does.");
        await Expect(page.Locator("p.done")).ToBeFocusedAsync();
        await Expect(listed).ToHaveCountAsync(0);
        await moderator.ScreenshotAsync("moderation-newcomer-answered", fullPage: false);
        await page.Locator("button[data-queue=pending]").ClickAsync();
        var waiting = page.Locator("article.item", new() { HasText = "that is new to me" });
        await Expect(waiting.Locator(".who strong")).ToHaveTextAsync("Mo Derator");
        await waiting.Locator("button", new() { HasText = "Approve" }).ClickAsync();
        await Expect(waiting).ToHaveCountAsync(0);

        // Once shown, it is the Historian's answer, and the next newcomer answered from the list is told at once.
        Assert.Contains("Mo Derator", await PublishedAsync(site, url));
        await fx.Hearth.ConfigureSiteAsync(site, s => s.Moderation = ModerationMode.Post);
        await fx.Hearth.CommentAsync(site, url, "First time here: is the towpath open in winter?", name: "Wanderer");
        await page.Locator("button[data-queue=newcomers]").ClickAsync();
        var wanderer = page.Locator("article.newcomer", new() { HasText = "Wanderer" });
        await wanderer.GetByLabel("Your reply to Wanderer").FillAsync("It is, though muddy. Welcome!");
        await wanderer.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("p.done")).ToHaveTextAsync("You answered Wanderer.");
        Assert.Equal(2, (await PublishedAsync(site, url)).Count(n => n == "Mo Derator"));
        Assert.Empty(moderator.PageErrors);
    }

    [Fact]
    public async Task A_moderator_works_through_the_queue_with_the_keyboard_and_sees_new_comments_arrive()
    {
        var (site, url, moderator, page) = await OpenAsync();
        await using var _ = moderator;

        // Newest first: Walker, Seller (held by a suspect word), Curious (a reply, shown with what it answers).
        var seller = page.Locator("article.item", new() { HasText = "Cheap watches" });
        await Expect(seller.Locator(".reason")).ToContainTextAsync("Suspect word");
        await Expect(seller.Locator(".reason")).ToContainTextAsync("cheap");
        var curious = page.Locator("article.item", new() { HasText = "same stone" });
        await Expect(curious.Locator("blockquote.parent")).ToContainTextAsync("The weir was rebuilt in 1887");
        await Expect(curious.Locator("blockquote.parent")).ToContainTextAsync("In reply to Historian");
        await moderator.ScreenshotAsync("moderation-queue-light");

        await page.Keyboard.PressAsync("j");
        await Expect(page.Locator("article.item.current")).ToContainTextAsync("Cheap watches");
        await page.Keyboard.PressAsync("k");
        await Expect(page.Locator("article.item.current")).ToContainTextAsync("Lovely photos");
        await page.Keyboard.PressAsync("a"); // approves Walker, the current one
        await Expect(page.Locator("#status")).ToHaveTextAsync("Approved: 1 comment.");
        await Expect(page.Locator("article.item")).ToHaveCountAsync(2);
        await page.Keyboard.PressAsync("s"); // Seller is current now
        await Expect(page.Locator("#status")).ToHaveTextAsync("Marked as spam: 1 comment.");
        await page.Keyboard.PressAsync("a");
        await Expect(page.Locator(".empty")).ToHaveTextAsync("Nothing is waiting. Well done.");
        Assert.Equal(["Curious", "Historian", "Walker"], (await PublishedAsync(site, url)).Order());

        // A comment posted meanwhile arrives without a reload.
        await fx.Hearth.CommentAsync(site, url, "Fresh from the towpath", name: "Latecomer");
        await Expect(page.Locator("article.item", new() { HasText = "Fresh from the towpath" })).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator("#live")).ToHaveTextAsync("1 new comment to look at.");

        await page.Locator("nav.tabs button", new() { HasText = "Spam" }).ClickAsync();
        await Expect(page.Locator("article.item")).ToHaveCountAsync(1);
        await Expect(page.Locator("article.item .state")).ToHaveTextAsync("spam");
        Assert.Empty(moderator.PageErrors);
    }

    [Fact]
    public async Task Bulk_decisions_edits_pins_and_bans_from_the_page()
    {
        var (site, url, moderator, page) = await OpenAsync();
        await using var _ = moderator;
        var walker = page.Locator("article.item", new() { HasText = "Lovely photos" });
        var curious = page.Locator("article.item", new() { HasText = "same stone" });
        await walker.Locator("input.pick").CheckAsync();
        await curious.Locator("input.pick").CheckAsync();
        await Expect(page.Locator("#bulk")).ToContainTextAsync("2 selected");
        await page.Locator("#bulk button", new() { HasText = "Approve" }).ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("Approved: 2 comments.");
        await Expect(page.Locator("article.item")).ToHaveCountAsync(1);

        // In "All", the approved comment can be edited and pinned; readers see both.
        await page.Locator("nav.tabs button", new() { HasText = "All" }).ClickAsync();
        walker = page.Locator("article.item", new() { HasText = "Lovely photos" });
        await walker.Locator("button[data-act=edit]").ClickAsync();
        await walker.Locator("form.edit textarea").FillAsync("Lovely photos of the lock gates (link removed).");
        await walker.Locator("form.edit button[type=submit]").ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("Saved. Readers see that a moderator edited it.");
        walker = page.Locator("article.item", new() { HasText = "link removed" });
        await walker.Locator("button[data-act=pin]").ClickAsync();
        await Expect(walker.Locator("button[data-act=unpin]")).ToBeVisibleAsync();

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        var first = reader.Comments.First;
        await Expect(first).ToContainTextAsync("link removed");
        await Expect(first).ToContainTextAsync("edited by moderator");
        await Expect(first).ToContainTextAsync("Pinned");

        // Seller gets a week's ban by address; the Bans tab shows it and lifts it.
        var seller = page.Locator("article.item", new() { HasText = "Cheap watches" });
        await seller.Locator("button[data-act=ban]").ClickAsync();
        var dialog = page.Locator("dialog.ban");
        await Expect(dialog.Locator("h2")).ToHaveTextAsync("Ban Seller");
        await dialog.Locator("#ban-reason").FillAsync("Advertising");
        await moderator.ScreenshotAsync("moderation-ban-dialog", fullPage: false);
        await dialog.Locator("button[value=ban]").ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("Seller is banned.");
        var refused = await fx.Hearth.Api.PostAsJsonAsync($"/api/v1/sites/{site}/comments", new { url, body = "Still selling", author = new { name = "Seller" } });
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);

        await page.Locator("nav.tabs button", new() { HasText = "Bans" }).ClickAsync();
        await Expect(page.Locator("table.list")).ToContainTextAsync("Advertising");
        await page.Locator("button[data-unban]").ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("The ban is lifted.");

        await page.Locator("nav.tabs button", new() { HasText = "Log" }).ClickAsync();
        await Expect(page.Locator("table.list")).ToContainTextAsync("unban");
        await Expect(page.Locator("table.list")).ToContainTextAsync("pin");
        Assert.Empty(moderator.PageErrors);
    }

    [Theory]
    [InlineData("light", 1280, 900)]
    [InlineData("dark", 1280, 900)]
    [InlineData("light", 390, 844)]
    [InlineData("dark", 390, 844)]
    public async Task The_page_reads_well_in_light_and_dark_on_desktop_and_phone(string scheme, int width, int height)
    {
        var (_, _, moderator, page) = await OpenAsync(new()
        {
            ColorScheme = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
            ViewportSize = new() { Width = width, Height = height },
        });
        await using var _ = moderator;
        var item = page.Locator("article.item").First;
        await item.Locator("input.pick").CheckAsync();

        // Nothing wider than the screen: no sideways scrolling on a phone.
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"The page is {overflow}px wider than the screen.");
        var approve = item.Locator("button[data-act=approve]");
        var box = await approve.BoundingBoxAsync();
        Assert.True(box!.Height >= (width < 600 ? 36 : 24), $"The approve button is {box.Height}px tall.");
        await moderator.ScreenshotAsync($"moderation-{(width < 600 ? "phone" : "desktop")}-{scheme}");
        Assert.Empty(moderator.PageErrors);
    }

    [Fact]
    public async Task An_owner_changes_the_sites_settings_from_the_moderation_page()
    {
        var (site, url, owner, page) = await OpenAsync(role: Hearth.Identity.SiteRole.Owner);
        await using var _ = owner;
        await page.Locator("header.top a", new() { HasText = "Settings" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Settings of {site}");
        await Expect(page.Locator("#suspectWords")).ToHaveValueAsync("cheap");
        await page.Locator("input[name=moderation][value=post]").CheckAsync();
        await page.Locator("#maxLinks").FillAsync("1");
        await owner.ScreenshotAsync("site-settings");
        await page.Locator("button", new() { HasText = "Save settings" }).ClickAsync();
        await Expect(page.Locator("#saved")).ToBeVisibleAsync();
        await Expect(page.Locator("#maxLinks")).ToHaveValueAsync("1");

        // The site's single sign-on secret, made here and shown once.
        await page.Locator("button", new() { HasText = "Make a secret" }).ClickAsync();
        await Expect(page.Locator("#sso-secret")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^hsso_"));
        await owner.ScreenshotAsync("site-sso-secret");
        await page.Locator("a", new() { HasText = "Back to the settings" }).ClickAsync();
        await Expect(page.Locator("#sso")).ToBeVisibleAsync();
        await Expect(page.Locator("button", new() { HasText = "Make a new secret" })).ToBeVisibleAsync();

        // The change holds at once: an ordinary comment is published, one with two links waits.
        await fx.Hearth.CommentAsync(site, url, "Published straight away now.", name: "Later");
        var linked = await fx.Hearth.CommentAsync(site, url, "See https://a.example/1 and https://b.example/2 for the plans.", name: "Linker");
        Assert.Equal("pending", linked.GetProperty("status").GetString());
        Assert.Empty(owner.PageErrors);
    }
}
