using System.Text.Encodings.Web;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

/// <summary>"N comments" elsewhere on the host page follow the thread on the page as comments come and go.</summary>
[Collection(WidgetCollection.Name)]
public class HostCountTests(BrowserFixture fx)
{
    [Fact]
    public async Task The_count_in_the_page_header_follows_new_and_deleted_comments_live()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.Host.NewUrl();
        var snippet = fx.SnippetFor(site);
        var counter = $"""<p class="meta"><a href="#hearth-thread" data-hearth-count="{HtmlEncoder.Default.Encode(url)}">…</a></p>""";
        fx.Host.Set(url, HostPage.Article(snippet with { }, lang: "en").Replace("<main>", "<main>" + counter));
        var first = await fx.Hearth.CommentAsync(site, url, "First by the river.", name: "Ada");

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        var count = reader.Page.Locator("[data-hearth-count]");
        await Expect(count).ToHaveTextAsync("1 comment");
        await LiveTests.LiveStreamOpenAsync(reader);

        // Another reader's comment waits under the bar, and is already counted in the header.
        await fx.Hearth.CommentAsync(site, url, "Second, from the bridge.", name: "Grace");
        await Expect(count).ToHaveTextAsync("2 comments");
        await Expect(reader.Thread.Locator("button.new")).ToHaveTextAsync("Show 1 new comment");

        // The reader's own comment counts too.
        await reader.PostAsync("Third, mine.", name: "Alice");
        await Expect(count).ToHaveTextAsync("3 comments");

        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/sites/{site}/comments/{first.Id()}");
        request.Headers.Add("X-Edit-Token", first.GetProperty("editToken").GetString());
        Assert.True((await fx.Hearth.Api.SendAsync(request)).IsSuccessStatusCode);
        await Expect(count).ToHaveTextAsync("2 comments");
        Assert.Empty(reader.PageErrors);
    }
}

/// <summary>The page for readers without scripts counts votes the way people say them.</summary>
[Collection(WidgetCollection.Name)]
public class NoScriptPointsTests(BrowserFixture fx)
{
    [Fact]
    public async Task Scores_read_1_point_2_points_and_minus_1_point()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        var one = await fx.Hearth.CommentAsync(site, url, "Liked by one.", name: "Ada");
        var two = await fx.Hearth.CommentAsync(site, url, "Liked by two.", name: "Grace");
        var minus = await fx.Hearth.CommentAsync(site, url, "Booed by one.", name: "Linus");
        await fx.Hearth.VoteAsync(site, one.Id(), 1, "10.0.7.1");
        await fx.Hearth.VoteAsync(site, two.Id(), 1, "10.0.7.2");
        await fx.Hearth.VoteAsync(site, two.Id(), 1, "10.0.7.3");
        await fx.Hearth.VoteAsync(site, minus.Id(), -1, "10.0.7.4");

        await using var reader = await fx.NewReaderAsync(new() { JavaScriptEnabled = false });
        await reader.Page.GotoAsync($"{fx.Hearth.BaseUrl}/embed/{site}/thread?url={Uri.EscapeDataString(url)}");
        await Expect(reader.Page.Locator("article", new() { HasText = "Liked by one." }).Locator(".hearth-score")).ToHaveTextAsync("1 point");
        await Expect(reader.Page.Locator("article", new() { HasText = "Liked by two." }).Locator(".hearth-score")).ToHaveTextAsync("2 points");
        await Expect(reader.Page.Locator("article", new() { HasText = "Booed by one." }).Locator(".hearth-score")).ToHaveTextAsync("-1 point");
    }
}
