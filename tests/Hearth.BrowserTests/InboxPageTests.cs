using System.Collections.Concurrent;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

[Collection(WidgetCollection.Name)]
public class InboxPageTests(BrowserFixture fx)
{
    const string Password = "a long enough passphrase";

    [Fact]
    public async Task The_inbox_page_listens_again_after_its_live_stream_was_refused()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        var email = $"ada-{Guid.NewGuid():N}@mail.example";
        await fx.Hearth.CreateAccountAsync(email, "Ada Retry", Password);
        var questionId = (await fx.Hearth.AccountCommentAsync(email, site, url, "Is the harbour car park open on Sundays?")).Id();

        await using var ada = await fx.NewReaderAsync();
        // The first stream is answered as a person holding too many is; the browser gives up on such an answer.
        var refused = 0;
        var streams = 0;
        await ada.Context.RouteAsync("**/account/inbox/live", async route =>
        {
            if (Interlocked.Exchange(ref refused, 1) == 0)
            {
                await route.FulfillAsync(new() { Status = 429, ContentType = "application/problem+json", Body = """{"status":429,"code":"too_many_streams"}""" });
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        ada.Context.Response += (_, response) =>
        {
            if (response.Url.EndsWith("/account/inbox/live", StringComparison.Ordinal) && response.Status == 200)
            {
                Interlocked.Increment(ref streams);
            }
        };
        await ada.Page.GotoAsync($"{fx.Hearth.BaseUrl}/account/signin?returnUrl=%2Faccount%2Finbox");
        await ada.Page.Locator("#email").FillAsync(email);
        await ada.Page.Locator("#password").FillAsync(Password);
        await ada.Page.Locator("form button[type=submit]").ClickAsync();
        await Expect(ada.Page.Locator("h1")).ToHaveTextAsync("Inbox");
        await Wait.UntilAsync(() => Volatile.Read(ref refused) == 1, "the first stream to be refused");
        await Wait.UntilAsync(() => Volatile.Read(ref streams) > 0, "the page to open its stream again", timeoutMs: 30_000);

        await fx.Hearth.CommentAsync(site, url, "Yes, and it is free after six.", parentId: questionId);

        await Expect(ada.Page.Locator("#inbox-items > li").First).ToContainTextAsync("replied to you");
    }

    [Theory]
    [InlineData("light", 1280)]
    [InlineData("dark", 390)]
    public async Task A_reply_appears_on_the_open_inbox_page_and_is_answered_there_into_the_conversation(string scheme, int width)
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        var email = $"ada-{Guid.NewGuid():N}@mail.example";
        await fx.Hearth.CreateAccountAsync(email, "Ada Hollis", Password);
        var questionId = (await fx.Hearth.AccountCommentAsync(email, site, url, "Does anyone know when the ferry starts its summer timetable?")).Id();
        var colours = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light;

        await using var ada = await fx.NewReaderAsync(new() { ColorScheme = colours, ViewportSize = new() { Width = width, Height = 900 } });
        var refused = new ConcurrentQueue<string>();
        ada.Page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                refused.Enqueue(message.Text);
            }
        };
        var streams = 0;
        ada.Context.Response += (_, response) =>
        {
            if (response.Url.EndsWith("/account/inbox/live", StringComparison.Ordinal) && response.Status == 200)
            {
                Interlocked.Increment(ref streams);
            }
        };
        await ada.Page.GotoAsync($"{fx.Hearth.BaseUrl}/account/signin?returnUrl=%2Faccount%2Finbox");
        await ada.Page.Locator("#email").FillAsync(email);
        await ada.Page.Locator("#password").FillAsync(Password);
        await ada.Page.Locator("form button[type=submit]").ClickAsync();
        await Expect(ada.Page.Locator("h1")).ToHaveTextAsync("Inbox");
        await Expect(ada.Page.Locator("#unread")).ToHaveTextAsync("No unread replies.");
        await Expect(ada.Page.Locator("#inbox-empty")).ToBeVisibleAsync();
        await Wait.UntilAsync(() => Volatile.Read(ref streams) > 0, "the inbox page's live stream to open");
        await ada.Page.EvaluateAsync("() => { window.stillTheSamePage = true; }");

        // Bo, reading the article, answers Ada in the widget.
        await using var bo = await fx.NewReaderAsync(new() { ColorScheme = colours, ViewportSize = new() { Width = width, Height = 900 } });
        await bo.OpenAsync(url);
        var question = bo.Comment("summer timetable");
        await question.Locator("> article footer button", new() { HasText = "Reply" }).ClickAsync();
        var form = question.Locator("> form.composer");
        await form.Locator("textarea").FillAsync("From the first of May, every hour.");
        await form.Locator("input[name=name]").FillAsync("Bo Ferryman");
        await form.Locator("button[type=submit]").ClickAsync();
        var boReply = bo.Comment("every hour");
        await Expect(boReply).ToHaveCountAsync(1);
        await LiveTests.LiveStreamOpenAsync(bo);

        // Ada's page shows it at the top, without being reloaded.
        var item = ada.Page.Locator("#inbox-items > li").First;
        await Expect(item).ToContainTextAsync("Bo Ferryman replied to you");
        await Expect(item.Locator(".words")).ToHaveTextAsync("From the first of May, every hour.");
        await Expect(ada.Page.Locator("#unread")).ToHaveTextAsync("1 unread reply.");
        await Expect(ada.Page.Locator("#mark-all button")).ToBeVisibleAsync();
        await Expect(ada.Page.Locator("#inbox-empty")).ToBeHiddenAsync();
        Assert.True(await ada.Page.EvaluateAsync<bool>("() => window.stillTheSamePage === true"));
        await ada.ScreenshotAsync($"inbox-page-live-{scheme}-{width}");

        // She answers in place.
        await item.Locator("summary", new() { HasText = "Reply" }).ClickAsync();
        var words = item.Locator("textarea");
        await Expect(item.Locator("label", new() { HasText = "Your reply to Bo Ferryman" })).ToBeVisibleAsync();
        await words.FillAsync("Thank you, Bo! Hourly is perfect.");

        // Another answer arrives while she writes: it goes above, and her words stay where they are.
        await fx.Hearth.CommentAsync(site, url, "The early one is often full, go for the second.", questionId, "Cy Commuter");
        await Expect(ada.Page.Locator("#inbox-items > li").First).ToContainTextAsync("Cy Commuter replied to you");
        await Expect(ada.Page.Locator("#unread")).ToHaveTextAsync("2 unread replies.");
        item = ada.Page.Locator("#inbox-items > li", new() { HasText = "Bo Ferryman" });
        await Expect(item.Locator("textarea")).ToHaveValueAsync("Thank you, Bo! Hourly is perfect.");
        await Expect(item.Locator("textarea")).ToBeFocusedAsync();
        await ada.ScreenshotAsync($"inbox-page-reply-open-{scheme}-{width}");
        await item.Locator("button", new() { HasText = "Send reply" }).ClickAsync();
        await Expect(ada.Page.Locator(".notice")).ToContainTextAsync("Your reply is published.");
        await Expect(ada.Page.Locator("#unread")).ToHaveTextAsync("1 unread reply.");
        await ada.ScreenshotAsync($"inbox-page-replied-{scheme}-{width}");

        // Bo's open thread has her answer under his reply.
        var bar = bo.Thread.Locator("button.new");
        await Expect(bar).ToHaveTextAsync("Show 2 new comments");
        await bar.ClickAsync();
        var answer = boReply.Locator("> ol.replies > li > article");
        await Expect(answer).ToContainTextAsync("Hourly is perfect.");
        await Expect(answer.Locator(".name")).ToHaveTextAsync("Ada Hollis");
        await bo.ScreenshotAsync($"inbox-page-answer-in-thread-{scheme}-{width}");

        Assert.Empty(refused);
        Assert.Empty(ada.PageErrors);
        Assert.Empty(bo.PageErrors);
        Assert.Empty(ada.ForeignRequests());
    }

    [Theory]
    [InlineData("light", 1280)]
    [InlineData("dark", 390)]
    public async Task The_conversations_view_moves_a_conversation_up_when_someone_answers_and_is_answered_in_place(string scheme, int width)
    {
        var shop = await fx.CreateSiteAsync();
        var blog = await fx.CreateSiteAsync();
        var kettle = fx.AddArticle(fx.SnippetFor(shop));
        var lamp = fx.AddArticle(fx.SnippetFor(blog));
        var email = $"ada-{Guid.NewGuid():N}@mail.example";
        await fx.Hearth.CreateAccountAsync(email, "Ada Converses", Password);
        var kettleQuestion = (await fx.Hearth.AccountCommentAsync(email, shop, kettle, "Does the kettle whistle when it boils?")).Id();
        await fx.Hearth.AccountCommentAsync(email, blog, lamp, "Which bulb does the reading lamp take?");
        var colours = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light;

        await using var ada = await fx.NewReaderAsync(new() { ColorScheme = colours, ViewportSize = new() { Width = width, Height = 900 } });
        var streams = 0;
        ada.Context.Response += (_, response) =>
        {
            if (response.Url.EndsWith("/account/inbox/live", StringComparison.Ordinal) && response.Status == 200)
            {
                Interlocked.Increment(ref streams);
            }
        };
        await ada.Page.GotoAsync($"{fx.Hearth.BaseUrl}/account/signin?returnUrl=%2Faccount%2Finbox%2Fconversations");
        await ada.Page.Locator("#email").FillAsync(email);
        await ada.Page.Locator("#password").FillAsync(Password);
        await ada.Page.Locator("form button[type=submit]").ClickAsync();
        await Expect(ada.Page.Locator("nav.views a[aria-current]")).ToHaveTextAsync("Conversations");
        var items = ada.Page.Locator("#inbox-items > li");
        // Her latest comment is the lamp's, so the lamp comes first.
        await Expect(items).ToHaveCountAsync(2);
        await Expect(items.First).ToContainTextAsync("Which bulb does the reading lamp take?");
        await Wait.UntilAsync(() => Volatile.Read(ref streams) > 0, "the conversations page's live stream to open");
        await ada.Page.EvaluateAsync("() => { window.stillTheSamePage = true; }");

        // Bo answers her on the shop's page: the kettle moves to the top with one new, without a reload.
        await fx.Hearth.CommentAsync(shop, kettle, "Yes, and loudly enough to hear from the garden.", kettleQuestion, "Bo Shopkeeper");
        await Expect(items.First).ToContainTextAsync("Bo Shopkeeper replied to you");
        await Expect(items.First.Locator(".badge")).ToHaveTextAsync("1 new");
        await Expect(ada.Page.Locator("#unread")).ToHaveTextAsync("1 unread reply.");
        Assert.True(await ada.Page.EvaluateAsync<bool>("() => window.stillTheSamePage === true"));
        await ada.ScreenshotAsync($"inbox-conversations-live-{scheme}-{width}");

        // She starts answering; another answer arriving leaves her words where they are.
        var item = items.First;
        await item.Locator("summary", new() { HasText = "Reply" }).ClickAsync();
        await item.Locator("textarea").FillAsync("Perfect, thank you!");
        await fx.Hearth.CommentAsync(shop, kettle, "Mine is quieter than that.", kettleQuestion, "Cy Neighbour");
        await Expect(ada.Page.Locator("#unread")).ToHaveTextAsync("2 unread replies.");
        await Expect(ada.Page.Locator("#inbox-items textarea")).ToHaveValueAsync("Perfect, thank you!");
        await ada.Page.Locator("#inbox-items button", new() { HasText = "Send reply" }).ClickAsync();
        await Expect(ada.Page.Locator(".notice")).ToContainTextAsync("Your reply is published.");
        await Expect(ada.Page.Locator("nav.views a[aria-current]")).ToHaveTextAsync("Conversations");
        // What is still unread in the conversation is what it shows now: Cy's answer, ready to be answered in turn.
        await Expect(ada.Page.Locator("#inbox-items > li").First).ToContainTextAsync("Cy Neighbour replied to you");
        await Expect(ada.Page.Locator("#inbox-items > li").First.Locator(".badge")).ToHaveTextAsync("1 new");
        await ada.ScreenshotAsync($"inbox-conversations-replied-{scheme}-{width}");

        // Marked read, one conversation at a time.
        await ada.Page.Locator("#inbox-items > li").First.Locator("button", new() { HasText = "Mark read" }).ClickAsync();
        await Expect(ada.Page.Locator("#unread")).ToHaveTextAsync("No unread replies.");
        Assert.Empty(ada.PageErrors);
        Assert.Empty(ada.ForeignRequests());
    }
}
