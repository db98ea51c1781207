using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

[Collection(WidgetCollection.Name)]
public class ReadingTests(BrowserFixture fx)
{
    [Fact]
    public async Task A_thread_shows_its_comments_with_nested_replies_names_avatars_times_and_scores()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        var ada = await fx.Hearth.CommentBeforeAsync(TimeSpan.FromHours(3), site, url, "The second lock has a **lovely** cafe.", name: "Ada");
        var grace = await fx.Hearth.CommentBeforeAsync(TimeSpan.FromHours(2), site, url, "Open on Sundays too?", ada.Id(), name: "Grace");
        await fx.Hearth.CommentBeforeAsync(TimeSpan.FromMinutes(5), site, url, "Only in summer.", grace.Id(), name: "Ada");
        await fx.Hearth.CommentAsync(site, url, "I walked it last week.", name: "Linus", website: "https://linus.example/");
        await fx.Hearth.VoteAsync(site, ada.Id(), 1, "10.0.0.1");
        await fx.Hearth.VoteAsync(site, ada.Id(), 1, "10.0.0.2");

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);

        await Expect(reader.Thread.Locator("h2")).ToHaveTextAsync("4 comments");
        await Expect(reader.Comments).ToHaveCountAsync(4);
        var first = reader.Comment("lovely");
        await Expect(first.Locator("> article .name")).ToHaveTextAsync("Ada");
        await Expect(first.Locator("> article .body strong")).ToHaveTextAsync("lovely");
        await Expect(first.Locator("> article .score")).ToHaveTextAsync("2");
        // Replies sit in the list under their parent, one level deeper each.
        var reply = first.Locator("> ol.replies > li");
        await Expect(reply).ToHaveCountAsync(1);
        await Expect(reply.Locator("> article .name")).ToHaveTextAsync("Grace");
        await Expect(reply).ToHaveAttributeAsync("aria-level", "2");
        await Expect(reply.Locator("> ol.replies > li > article")).ToContainTextAsync("Only in summer.");
        await Expect(reply.Locator("> ol.replies > li")).ToHaveAttributeAsync("aria-level", "3");

        // Relative times, with the exact moment a hover (or a screen reader) away.
        var time = first.Locator("> article time");
        await Expect(time).ToHaveTextAsync("3 hours ago");
        var exact = await time.GetAttributeAsync("title");
        Assert.Matches(@"\d{4}", exact);
        Assert.Equal(exact, await time.GetAttributeAsync("aria-label"));
        await Expect(reply.Locator("> article time")).ToHaveTextAsync("2 hours ago");
        await Expect(reader.Comment("last week").Locator("> article time")).ToHaveTextAsync("now");

        // A website makes the name a link that does not pass on the reader's session or ranking.
        var linus = reader.Comment("last week").Locator("> article a.name");
        await Expect(linus).ToHaveAttributeAsync("href", "https://linus.example/");
        await Expect(linus).ToHaveAttributeAsync("rel", new Regex("nofollow"));

        // Avatars are drawn by Hearth itself and have loaded.
        var avatar = first.Locator("> article .avatar");
        await Expect(avatar).ToBeVisibleAsync();
        var image = await avatar.EvaluateAsync<string>("el => getComputedStyle(el).backgroundImage");
        var avatarUrl = Regex.Match(image, "url\\(\"(.+)\"\\)").Groups[1].Value;
        Assert.StartsWith(fx.Hearth.BaseUrl + "/api/v1/avatars/", avatarUrl);
        var loaded = await reader.Page.EvaluateAsync<bool>(
            "url => new Promise(done => { const img = new Image(); img.onload = () => done(img.naturalWidth > 0); img.onerror = () => done(false); img.src = url; })", avatarUrl);
        Assert.True(loaded, "The avatar does not load.");
        await Wait.UntilAsync(() => reader.Requests.Contains(avatarUrl), "the avatar to be fetched");

        await reader.ScreenshotAsync("render-thread");
        Assert.Empty(reader.PageErrors);
        Assert.Empty(reader.ForeignRequests());
    }

    [Fact]
    public async Task An_anonymous_reader_gets_no_cookies_and_talks_to_no_one_but_the_page_and_hearth()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        await fx.Hearth.CommentAsync(site, url, "Nice photos.", name: "Ada");

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        await Expect(reader.Comments).ToHaveCountAsync(1);
        // Wait for the live stream to open too: it is the last request the widget makes by itself.
        await Wait.UntilAsync(() => reader.Requests.Any(r => r.Contains("/live?", StringComparison.Ordinal)), "the live stream");

        Assert.Empty(await reader.Context.CookiesAsync());
        Assert.Equal("", await reader.Page.EvaluateAsync<string>("document.cookie"));
        Assert.Empty(reader.ForeignRequests());
        Assert.Contains(reader.Requests, r => r.StartsWith(fx.Hearth.BaseUrl + "/embed.js", StringComparison.Ordinal));
        Assert.Contains(reader.Requests, r => r.StartsWith(fx.Hearth.BaseUrl + "/widget/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Switching_the_sort_reorders_the_thread_and_is_remembered()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        await fx.Hearth.CommentBeforeAsync(TimeSpan.FromHours(2), site, url, "Oldest words.", name: "Ada");
        var popular = await fx.Hearth.CommentBeforeAsync(TimeSpan.FromHours(1), site, url, "Popular words.", name: "Grace");
        await fx.Hearth.CommentAsync(site, url, "Newest words.", name: "Linus");
        for (var i = 1; i <= 3; i++)
        {
            await fx.Hearth.VoteAsync(site, popular.Id(), 1, $"10.0.1.{i}");
        }

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        var bodies = reader.Thread.Locator("article.comment .body");
        await Expect(bodies).ToHaveTextAsync(["Popular words.", "Oldest words.", "Newest words."]);

        await reader.Thread.Locator("select").SelectOptionAsync("newest");
        await Expect(bodies).ToHaveTextAsync(["Newest words.", "Popular words.", "Oldest words."]);
        await reader.ScreenshotAsync("sort-newest");

        await reader.Thread.Locator("select").SelectOptionAsync("oldest");
        await Expect(bodies).ToHaveTextAsync(["Oldest words.", "Popular words.", "Newest words."]);

        await reader.Page.ReloadAsync();
        await Expect(bodies).ToHaveTextAsync(["Oldest words.", "Popular words.", "Newest words."]);
        await Expect(reader.Thread.Locator("select")).ToHaveValueAsync("oldest");

        // Sorted by newest, a comment just written goes on top, where that order says it belongs.
        await reader.Thread.Locator("select").SelectOptionAsync("newest");
        await Expect(bodies.First).ToHaveTextAsync("Newest words.");
        await reader.PostAsync("Even newer words.", name: "Margaret");
        await Expect(bodies).ToHaveTextAsync(["Even newer words.", "Newest words.", "Popular words.", "Oldest words."]);
    }

    [Fact]
    public async Task Load_more_brings_the_next_page_of_a_long_thread()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        for (var i = 1; i <= 55; i++)
        {
            await fx.Hearth.CommentAsync(site, url, $"Comment number {i}.", name: "Walker " + i);
        }

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        await Expect(reader.Thread.Locator("h2")).ToHaveTextAsync("55 comments");
        await Expect(reader.Comments).ToHaveCountAsync(50);
        var more = reader.Thread.Locator("button.more");
        await more.ScrollIntoViewIfNeededAsync();
        await reader.ScreenshotAsync("load-more-before", fullPage: false);

        await more.ClickAsync();
        await Expect(reader.Comments).ToHaveCountAsync(55);
        await Expect(more).ToHaveCountAsync(0);
        // The button has gone: focus continues at the first comment it brought.
        await Expect(reader.Comment("Comment number 51.").Locator("> article")).ToBeFocusedAsync();
        // Every comment once, none twice.
        var texts = await reader.Thread.Locator("article.comment .body").AllTextContentsAsync();
        Assert.Equal(55, texts.Select(t => t.Trim()).Distinct().Count());
        await reader.Comment("Comment number 55.").ScrollIntoViewIfNeededAsync();
        await reader.ScreenshotAsync("load-more-after", fullPage: false);
    }

    [Fact]
    public async Task Count_placeholders_on_a_list_page_are_filled_in_with_one_request()
    {
        var site = await fx.CreateSiteAsync();
        var first = fx.Host.NewUrl();
        var second = fx.Host.NewUrl();
        await fx.Hearth.CommentAsync(site, first, "One.");
        await fx.Hearth.CommentAsync(site, first, "Two.");
        await fx.Hearth.CommentAsync(site, second, "By identifier.", identifier: "river-walk");

        var list = fx.Host.Add($$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>All posts</title></head>
            <body>
            <ul>
            <li><a href="{{first}}">First post</a> · <span data-hearth-count="{{first}}">…</span></li>
            <li><a href="{{second}}">Second post</a> · <span data-hearth-count="river-walk">…</span></li>
            <li><a href="/posts/quiet">Quiet post</a> · <span data-hearth-count="{{fx.Host.Origin}}/posts/quiet">…</span></li>
            </ul>
            <script src="{{fx.Hearth.BaseUrl}}/embed.js" data-site="{{site}}" async></script>
            </body></html>
            """);

        await using var reader = await fx.NewReaderAsync();
        await reader.Page.GotoAsync(list);
        var counts = reader.Page.Locator("[data-hearth-count]");
        await Expect(counts).ToHaveTextAsync(["2 comments", "1 comment", "0 comments"]);
        await reader.ScreenshotAsync("counts");
        Assert.Single(reader.Requests, r => r.Contains("/counts?", StringComparison.Ordinal));
        // A list page has no thread: nothing else is fetched.
        Assert.DoesNotContain(reader.Requests, r => r.Contains("/thread?", StringComparison.Ordinal) || r.Contains("/widget/", StringComparison.Ordinal));
    }
}
