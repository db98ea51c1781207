using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

[Collection(WidgetCollection.Name)]
public class SafetyTests(BrowserFixture fx)
{
    /// <summary>Each payload, if it ever ran, would alert, set a global flag or change the page title.</summary>
    static readonly string[] Bodies =
    [
        "<script>window.__pwned = 'script'; alert('script'); document.title = 'pwned'</script>",
        "<img src=x onerror=\"window.__pwned = 'img'; alert('img')\">",
        "![image](javascript:window.__pwned='md-img')",
        "[click me](javascript:window.__pwned='md-link';alert('link'))",
        "[data link](data:text/html,<script>alert('data')</script>)",
        "<svg onload=\"window.__pwned = 'svg'; alert('svg')\"><circle r=5 /></svg>",
        "<a href=\"javascript:alert('raw-a')\" id=\"raw\">raw link</a>",
        "<iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>",
        "<details open ontoggle=\"window.__pwned='details'\">x</details>",
        "<style>* { display: none }</style><div style=\"position:fixed;inset:0;background:red\">overlay</div>",
        "```\n</code></pre><script>window.__pwned='fence'</script>\n```",
        "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__pwned='mxss'\">",
        "\"><img src=x onerror=alert('attr')> `<script>alert(1)</script>`",
    ];

    static readonly (string Name, string? Website)[] Authors =
    [
        ("<img src=x onerror=\"window.__pwned='name'; alert('name')\">", null),
        ("\"><script>window.__pwned='name2'</script>", null),
        ("Eve", "https://eve.example/\"><svg onload=alert('site')>"),
        ("Mallory", "https://mallory.example/' onmouseover='window.__pwned=1"),
        ("{{constructor.constructor('alert(1)')()}}", "https://ok.example/"),
    ];

    [Fact]
    public async Task Stored_script_in_comments_names_and_websites_never_runs_in_the_widget()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        await SeedAsync(site, url);

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        await Expect(reader.Comments).ToHaveCountAsync(Bodies.Length + Authors.Length);
        // Give hover, focus and toggle handlers their chance.
        foreach (var name in await reader.Thread.Locator(".name").AllAsync())
        {
            await name.HoverAsync();
        }
        await reader.Page.Keyboard.PressAsync("Tab");
        await reader.Page.Keyboard.PressAsync("Tab");
        // Anything posted live goes through the same drawing path as what was loaded.
        await fx.Hearth.CommentAsync(site, url, "<img src=x onerror=\"window.__pwned='live'\">", name: "<svg onload=\"window.__pwned='live-name'\">");
        await reader.Thread.Locator("button.new").ClickAsync();
        await Expect(reader.Comments).ToHaveCountAsync(Bodies.Length + Authors.Length + 1);
        await reader.ScreenshotAsync("xss-widget");

        await AssertNothingRanAsync(reader);
        var hrefs = await reader.Thread.Locator("a[href]").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.All(hrefs, href => Assert.StartsWith("http", href, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(0, await reader.Thread.Locator("script, iframe, svg, style, [onerror], [onload], [onmouseover], [ontoggle]").CountAsync());
        // Names are shown as the text people typed, not interpreted.
        await Expect(reader.Thread.Locator(".name", new() { HasText = "<img src=x" })).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task The_page_without_javascript_shows_the_thread_and_runs_none_of_its_payloads()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        var parent = await fx.Hearth.CommentAsync(site, url, "Plain words for plain readers.", name: "Ada");
        await fx.Hearth.CommentAsync(site, url, "A reply they can read too.", parent.Id(), name: "Grace");
        await SeedAsync(site, url);

        await using var reader = await fx.NewReaderAsync(new() { JavaScriptEnabled = false });
        await reader.Page.GotoAsync($"{fx.Hearth.BaseUrl}/embed/{site}/thread?url={Uri.EscapeDataString(url)}");
        await Expect(reader.Page.Locator("body")).ToContainTextAsync("Plain words for plain readers.");
        await Expect(reader.Page.Locator("body")).ToContainTextAsync("A reply they can read too.");
        await Expect(reader.Page.Locator("body")).ToContainTextAsync("Grace");
        await Expect(reader.Page.Locator($"a[href='{url}#hearth-thread']")).ToHaveCountAsync(1);
        await reader.ScreenshotAsync("noscript-page");
        Assert.Equal(0, await reader.Page.Locator("body script, body iframe, body svg, [onerror], [onload]").CountAsync());
        Assert.Empty(reader.Dialogs);

        // The same page with scripts on: still nothing runs.
        await using var scripted = await fx.NewReaderAsync();
        await scripted.Page.GotoAsync($"{fx.Hearth.BaseUrl}/embed/{site}/thread?url={Uri.EscapeDataString(url)}");
        await Expect(scripted.Page.Locator("body")).ToContainTextAsync("Plain words for plain readers.");
        var title = await scripted.Page.TitleAsync();
        Assert.StartsWith("Comments:", title);
        Assert.Empty(scripted.Dialogs);
        Assert.Equal("undefined", await scripted.Page.EvaluateAsync<string>("typeof window.__pwned"));
    }

    async Task SeedAsync(string site, string url)
    {
        foreach (var body in Bodies)
        {
            await fx.Hearth.CommentAsync(site, url, body, name: "Tester");
        }
        foreach (var (name, website) in Authors)
        {
            await fx.Hearth.CommentAsync(site, url, "Look at my name.", name: name, website: website);
        }
    }

    static async Task AssertNothingRanAsync(Reader reader)
    {
        Assert.Empty(reader.Dialogs);
        Assert.Equal(HostPage.Title, await reader.Page.TitleAsync());
        Assert.Equal("undefined", await reader.Page.EvaluateAsync<string>("typeof window.__pwned"));
        Assert.Empty(reader.ForeignRequests());
    }
}
