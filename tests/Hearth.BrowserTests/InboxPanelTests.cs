using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

[Collection(WidgetCollection.Name)]
public class InboxPanelTests(BrowserFixture fx)
{
    [Theory]
    [InlineData("light", 1280)]
    [InlineData("dark", 390)]
    public async Task A_signed_in_reader_sees_replies_to_them_with_a_count_of_new_ones_and_marks_them_read(string scheme, int width)
    {
        var site = await fx.CreateSiteAsync();
        var token = await fx.Hearth.SsoTokenAsync(site, "customer-" + scheme, "Dana Fischer");
        var url = fx.AddArticle(fx.SnippetFor(site) with { SsoToken = token });

        await using var reader = await fx.NewReaderAsync(new()
        {
            ColorScheme = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
            ViewportSize = new() { Width = width, Height = 900 },
        });
        await reader.OpenAsync(url);
        var button = reader.Thread.Locator(".head button.inbox");
        await Expect(button).ToHaveTextAsync("Replies to you");
        await reader.PostAsync("Does the green teapot keep tea hot for an hour?");
        var mine = (await reader.Comment("green teapot").Locator("> article").GetAttributeAsync("id"))![1..];

        await fx.Hearth.CommentAsync(site, url, "Mine keeps it *warm* for about fifty minutes <script>alert(1)</script>.", long.Parse(mine), "Rosa Reply");
        // The count is asked for when the page opens (and every minute while it is in view).
        await reader.OpenAsync(url);
        await Expect(button).ToHaveTextAsync("Replies to you: 1 new");
        await button.ClickAsync();
        var panel = reader.Thread.Locator("section.inbox");
        await Expect(panel).ToBeVisibleAsync();
        await Expect(button).ToHaveAttributeAsync("aria-expanded", "true");
        var item = panel.Locator("li.unread");
        await Expect(item).ToContainTextAsync("Rosa Reply");
        await Expect(item.Locator(".body em")).ToHaveTextAsync("warm");
        await Expect(item.Locator("script")).ToHaveCountAsync(0);
        await Expect(item.Locator("a")).ToHaveAttributeAsync("href", url);
        await reader.ScreenshotAsync($"inbox-panel-{scheme}-{width}");

        await panel.Locator("button.mark-read").ClickAsync();
        await Expect(panel.Locator("li.unread")).ToHaveCountAsync(0);
        await Expect(button).ToHaveTextAsync("Replies to you");
        await reader.OpenAsync(url);
        await Expect(button).ToHaveTextAsync("Replies to you");
        Assert.Empty(reader.PageErrors);
        Assert.Empty(reader.Dialogs);
    }

    [Fact]
    public async Task The_open_panel_takes_in_a_new_reply_without_a_reload_and_answers_it()
    {
        var site = await fx.CreateSiteAsync();
        var token = await fx.Hearth.SsoTokenAsync(site, "customer-live", "Dana Fischer");
        var url = fx.AddArticle(fx.SnippetFor(site) with { SsoToken = token });
        await using var reader = await fx.NewReaderAsync(new() { ViewportSize = new() { Width = 390, Height = 900 } });
        var streams = 0;
        reader.Context.Response += (_, response) =>
        {
            if (response.Url.EndsWith("/inbox/live", StringComparison.Ordinal) && response.Status == 200)
            {
                Interlocked.Increment(ref streams);
            }
        };
        await reader.OpenAsync(url);
        var button = reader.Thread.Locator(".head button.inbox");
        await Expect(button).ToHaveTextAsync("Replies to you");
        await reader.PostAsync("Is the blue teapot back in stock?");
        var mine = long.Parse((await reader.Comment("blue teapot").Locator("> article").GetAttributeAsync("id"))![1..]);
        await button.ClickAsync();
        var panel = reader.Thread.Locator("section.inbox");
        await Expect(panel).ToContainTextAsync("No replies to you here yet.");
        await Wait.UntilAsync(() => Volatile.Read(ref streams) > 0, "the inbox stream to open");

        var answer = (await fx.Hearth.CommentAsync(site, url, "Next Tuesday, we are told.", mine, "Rosa Reply")).Id();
        // No reload: the count and the open panel follow.
        await Expect(button).ToHaveTextAsync("Replies to you: 1 new");
        var item = panel.Locator("li.unread");
        await Expect(item).ToContainTextAsync("Next Tuesday");
        Assert.Equal(1, Volatile.Read(ref streams));

        await item.Locator("button.answer").ClickAsync();
        var words = panel.Locator("form.inbox-reply textarea");
        await Expect(words).ToBeFocusedAsync();
        await Expect(words).ToHaveAttributeAsync("aria-label", "Reply to Rosa Reply");
        await words.FillAsync("Thank you, I will look then.");
        await reader.ScreenshotAsync("inbox-panel-reply-open-light-390");
        await panel.Locator("form.inbox-reply button[type=submit]").ClickAsync();
        await Expect(panel.Locator("p.note")).ToHaveTextAsync("Your reply is published.");
        await Expect(button).ToHaveTextAsync("Replies to you");
        await reader.ScreenshotAsync("inbox-panel-replied-light-390");

        var thread = await fx.Hearth.Api.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}");
        var reply = thread.GetProperty("comments").EnumerateArray().Single(c => c.GetProperty("html").GetString()!.Contains("look then"));
        Assert.Equal(answer, reply.GetProperty("parentId").GetInt64());
        Assert.Equal("Dana Fischer", reply.GetProperty("author").GetProperty("name").GetString());
        Assert.Empty(reader.PageErrors);
    }

    [Theory]
    [InlineData("light", 1280)]
    [InlineData("dark", 390)]
    public async Task Your_conversations_lists_each_page_you_take_part_in_the_liveliest_first_and_follows_them_live(string scheme, int width)
    {
        var site = await fx.CreateSiteAsync();
        var token = await fx.Hearth.SsoTokenAsync(site, "talker-" + scheme, "Dana Fischer");
        var teapots = fx.AddArticle(fx.SnippetFor(site) with { SsoToken = token, Title = "Teapots that keep warm" });
        var kettles = fx.AddArticle(fx.SnippetFor(site) with { SsoToken = token, Title = "Kettles <b>compared</b>" });
        await using var reader = await fx.NewReaderAsync(new()
        {
            ColorScheme = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
            ViewportSize = new() { Width = width, Height = 900 },
        });
        // Commenting follows the conversation: both pages are the reader's now. The inbox's button says the site's
        // sign-in is done, so the comment goes out under the reader's name.
        var button = reader.Thread.Locator(".head button.inbox");
        await reader.OpenAsync(kettles);
        await Expect(button).ToBeVisibleAsync();
        await reader.PostAsync("Which kettle is the quietest?");
        await Expect(reader.Comment("quietest")).ToBeVisibleAsync();
        await reader.OpenAsync(teapots);
        await Expect(button).ToBeVisibleAsync();
        await reader.PostAsync("Does the green teapot keep tea hot for an hour?");
        await Expect(reader.Comment("green teapot")).ToBeVisibleAsync();
        await button.ClickAsync();
        var panel = reader.Thread.Locator("section.inbox");
        await Expect(panel).ToContainTextAsync("No replies to you here yet.");

        // Someone writes on the teapots page, not to the reader: news of a followed conversation, told by the inbox's
        // stream once it is handed out (in the background).
        await fx.Hearth.CommentAsync(site, teapots, "Mine keeps it *warm* for fifty minutes.", null, "Rosa Reply");
        await Expect(button).ToHaveTextAsync("Replies to you: 1 new");
        var talks = panel.GetByRole(AriaRole.Button, new() { Name = "Your conversations" });
        await Expect(talks).ToHaveAttributeAsync("aria-pressed", "false");
        await talks.ClickAsync();
        await Expect(talks).ToHaveAttributeAsync("aria-pressed", "true");
        var items = panel.Locator("li");
        await Expect(items).ToHaveCountAsync(2);
        // The teapots moved last: first, unread, with the newest comment that concerns the reader, which can be answered.
        await Expect(items.Nth(0)).ToHaveClassAsync("unread");
        await Expect(items.Nth(0).Locator("a")).ToHaveTextAsync("Teapots that keep warm");
        await Expect(items.Nth(0)).ToContainTextAsync("Rosa Reply");
        await Expect(items.Nth(0)).ToContainTextAsync("1 new");
        await Expect(items.Nth(0).Locator(".body em")).ToHaveTextAsync("warm");
        // The quiet one shows the reader's own words, to which there is nothing to answer; its title stays text.
        await Expect(items.Nth(1).Locator("a")).ToHaveTextAsync("Kettles <b>compared</b>");
        await Expect(items.Nth(1)).ToContainTextAsync("quietest");
        await Expect(items.Nth(1).Locator("button.answer")).ToHaveCountAsync(0);
        await Expect(items.Nth(1).Locator("a")).ToHaveAttributeAsync("href", kettles);
        await reader.ScreenshotAsync($"inbox-panel-conversations-{scheme}-{width}");

        // Live: news on the kettles page brings it to the top of the open list, twice over.
        await fx.Hearth.CommentAsync(site, kettles, "The steel one sings when it boils.", null, "Lou Lid");
        await Expect(items.Nth(0).Locator("a")).ToHaveTextAsync("Kettles <b>compared</b>");
        await Expect(button).ToHaveTextAsync("Replies to you: 2 new");
        await fx.Hearth.CommentAsync(site, kettles, "The copper one hardly whispers.", null, "Kim Kettle");
        await Expect(items.Nth(0)).ToContainTextAsync("hardly whispers");
        await Expect(items.Nth(0)).ToContainTextAsync("2 new");
        await Expect(button).ToHaveTextAsync("Replies to you: 3 new");

        // Answered in place, as a reply to the newest comment; the whole conversation is read then, both its news.
        await items.Nth(0).Locator("button.answer").ClickAsync();
        var words = panel.Locator("form.inbox-reply textarea");
        await Expect(words).ToHaveAttributeAsync("aria-label", "Reply to Kim Kettle");
        await words.FillAsync("Good to know, thank you.");
        await panel.Locator("form.inbox-reply button[type=submit]").ClickAsync();
        await Expect(panel.Locator("p.note")).ToHaveTextAsync("Your reply is published.");
        await Expect(button).ToHaveTextAsync("Replies to you: 1 new");
        var thread = await fx.Hearth.Api.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(kettles)}");
        var comments = thread.GetProperty("comments").EnumerateArray().ToList();
        var kim = comments.Single(c => c.GetProperty("html").GetString()!.Contains("hardly whispers")).GetProperty("id").GetInt64();
        var reply = comments.Single(c => c.GetProperty("html").GetString()!.Contains("Good to know"));
        Assert.Equal(kim, reply.GetProperty("parentId").GetInt64());

        // Back to the replies, one by one; the choice is the reader's until the page is left.
        await panel.GetByRole(AriaRole.Button, new() { Name = "Replies to you" }).ClickAsync();
        await Expect(talks).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(panel.Locator("li.unread")).ToHaveCountAsync(1);
        Assert.Empty(reader.PageErrors);
        Assert.Empty(reader.Dialogs);
    }
}
