using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

/// <summary>A community manager keeps an eye on two sites from one page, which fills as people comment on either.</summary>
[Collection(WidgetCollection.Name)]
public class TeamInboxPageTests(BrowserFixture fx)
{
    const string Password = "a long enough passphrase";

    [Theory]
    [InlineData("light", 1280)]
    [InlineData("dark", 390)]
    public async Task Comments_on_either_site_arrive_on_the_open_page_and_are_answered_there(string scheme, int width)
    {
        var shop = await fx.CreateSiteAsync();
        var blog = await fx.CreateSiteAsync();
        var shopPage = fx.AddArticle(fx.SnippetFor(shop));
        var blogPage = fx.AddArticle(fx.SnippetFor(blog));
        var email = $"mona-{Guid.NewGuid():N}@mail.example";
        await fx.Hearth.CreateAccountAsync(email, "Mona Manager", Password);
        await fx.Hearth.MakeModeratorAsync(email, shop);
        await fx.Hearth.MakeModeratorAsync(email, blog);
        await fx.Hearth.CommentAsync(blog, blogPage, "Thanks for the recipe, the bread came out well.", name: "Ivo Baker");

        var colours = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light;
        await using var mona = await fx.NewReaderAsync(new() { ColorScheme = colours, ViewportSize = new() { Width = width, Height = 900 } });
        var streams = 0;
        mona.Context.Response += (_, response) =>
        {
            if (response.Url.EndsWith("/account/inbox/team/live", StringComparison.Ordinal) && response.Status == 200)
            {
                Interlocked.Increment(ref streams);
            }
        };
        await mona.Page.GotoAsync($"{fx.Hearth.BaseUrl}/account/signin?returnUrl=%2Faccount%2Finbox%2Fteam");
        await mona.Page.Locator("#email").FillAsync(email);
        await mona.Page.Locator("#password").FillAsync(Password);
        await mona.Page.Locator("form button[type=submit]").ClickAsync();
        await Expect(mona.Page.Locator("h1")).ToHaveTextAsync("Your sites' conversations");
        await Expect(mona.Page.Locator("#unread")).ToHaveTextAsync("1 new comment.");
        await Wait.UntilAsync(() => Volatile.Read(ref streams) > 0, "the team inbox's live stream to open");

        // A customer asks on the shop's page, in the widget: the question arrives above the blog's comment.
        await using var customer = await fx.NewReaderAsync(new() { ColorScheme = colours, ViewportSize = new() { Width = width, Height = 900 } });
        await customer.OpenAsync(shopPage);
        await customer.PostAsync("Does the blue teapot come with a strainer?", name: "Pia Customer");
        await Expect(customer.Comment("blue teapot")).ToHaveCountAsync(1);
        await LiveTests.LiveStreamOpenAsync(customer);

        var item = mona.Page.Locator("#inbox-items > li").First;
        await Expect(item).ToContainTextAsync("Pia Customer commented");
        await Expect(item.Locator(".words")).ToHaveTextAsync("Does the blue teapot come with a strainer?");
        await Expect(mona.Page.Locator("#unread")).ToHaveTextAsync("2 new comments.");
        await Expect(mona.Page.Locator("#inbox-items > li")).ToHaveCountAsync(2);
        await mona.ScreenshotAsync($"team-inbox-live-{scheme}-{width}");

        // Mona answers from the page; the customer's open thread shows it, with her team badge.
        await item.Locator("summary", new() { HasText = "Reply" }).ClickAsync();
        await item.Locator("textarea").FillAsync("It does: a steel one that sits in the lid.");
        await item.Locator("button", new() { HasText = "Send reply" }).ClickAsync();
        await Expect(mona.Page.Locator(".notice")).ToContainTextAsync("Your reply is published.");
        await mona.ScreenshotAsync($"team-inbox-replied-{scheme}-{width}");

        var bar = customer.Thread.Locator("button.new");
        await Expect(bar).ToHaveTextAsync("Show 1 new comment");
        await bar.ClickAsync();
        var answer = customer.Comment("blue teapot").Locator("> ol.replies > li > article");
        await Expect(answer).ToContainTextAsync("sits in the lid");
        await Expect(answer.Locator(".name")).ToHaveTextAsync("Mona Manager");
        await Expect(answer.Locator(".badge", new() { HasText = "Moderator" })).ToHaveCountAsync(1);

        // Marked read, nothing is new, and the list stays.
        await mona.Page.Locator("#mark-all button").ClickAsync();
        await Expect(mona.Page.Locator("#unread")).ToHaveTextAsync("No new comments.");
        await Expect(mona.Page.Locator("#inbox-items > li.unread")).ToHaveCountAsync(0);
        await Expect(mona.Page.Locator("#inbox-items > li")).ToHaveCountAsync(2);

        Assert.Empty(mona.PageErrors);
        Assert.Empty(customer.PageErrors);
        Assert.Empty(mona.ForeignRequests());
    }
}
