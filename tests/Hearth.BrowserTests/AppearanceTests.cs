using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

[Collection(WidgetCollection.Name)]
public class AppearanceTests(BrowserFixture fx)
{
    /// <summary>What a careless theme does to every page it is installed on.</summary>
    const string HostileCss = """
        button, textarea, input, select, ol, li, p, a, img, time, form, label, article, header, footer, h2, div { display: none !important; color: red !important; }
        * { font-size: 2px; line-height: 0; letter-spacing: 3px; box-sizing: content-box; }
        html { font-size: 2px !important; }
        body { color: red; background: black; }
        #hearth-thread { display: block !important; font-size: 2px; color: red; }
        """;

    [Fact]
    public async Task The_dark_theme_paints_the_widget_dark_with_light_text()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.Host.Add(HostPage.Article(fx.SnippetFor(site) with { Theme = "dark" }, bodyStyle: "background: #0e0f12; color: #ddd;"));
        await fx.Hearth.CommentAsync(site, url, "Night walks are best.", name: "Ada");

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        await Expect(reader.Comments).ToHaveCountAsync(1);
        var box = reader.Thread.Locator(".hearth");
        await Expect(box).ToHaveAttributeAsync("data-theme", "dark");
        await Expect(box).ToHaveCSSAsync("background-color", "rgb(22, 23, 27)");
        var text = await Luminance(reader.Comments.First.Locator(".body p"), "color");
        Assert.True(text > 0.6, $"Text in the dark theme is not light (luminance {text:0.00}).");
        var field = await Luminance(reader.Composer.Locator("textarea"), "background-color");
        Assert.True(field < 0.1, $"The comment box stays light in the dark theme (luminance {field:0.00}).");
        await reader.ScreenshotAsync("theme-dark");
    }

    [Fact]
    public async Task The_auto_theme_follows_the_host_page_not_the_operating_system()
    {
        var site = await fx.CreateSiteAsync();
        var css = "html.night body { background: #101114; color: #ddd; }";
        var url = fx.AddArticle(fx.SnippetFor(site), css);
        await fx.Hearth.CommentAsync(site, url, "Bright page, dark phone.", name: "Ada");
        var box = "rgb(22, 23, 27)";

        // A light blog read on a phone in dark mode stays light.
        await using var reader = await fx.NewReaderAsync(new() { ColorScheme = ColorScheme.Dark, ViewportSize = new() { Width = 390, Height = 844 } });
        await reader.OpenAsync(url);
        var panel = reader.Thread.Locator(".hearth");
        await Expect(panel).ToHaveAttributeAsync("data-theme", "light");
        await Expect(panel).ToHaveCSSAsync("background-color", "rgb(255, 255, 255)");
        await reader.ScreenshotAsync("theme-auto-light-page-dark-phone");

        // The page switches to its night colours: the widget follows, and its panel keeps the text off the edges.
        await reader.Page.EvaluateAsync("document.documentElement.classList.add('night')");
        await Expect(panel).ToHaveAttributeAsync("data-theme", "dark");
        await Expect(panel).ToHaveCSSAsync("background-color", box);
        await Expect(panel).ToHaveCSSAsync("padding-left", "16px");
        await reader.ScreenshotAsync("theme-auto-dark-page-phone");
        await reader.Page.SetViewportSizeAsync(900, 900);
        await reader.ScreenshotAsync("theme-auto-dark-page-desktop");

        await reader.Page.EvaluateAsync("document.documentElement.classList.remove('night')");
        await Expect(panel).ToHaveAttributeAsync("data-theme", "light");
        await reader.ScreenshotAsync("theme-auto-light-page-desktop");
    }

    [Fact]
    public async Task The_auto_theme_on_a_page_that_paints_no_background_follows_its_color_scheme()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site), "html { color-scheme: light dark; }");
        await using var reader = await fx.NewReaderAsync(new() { ColorScheme = ColorScheme.Dark });
        await reader.OpenAsync(url);
        var panel = reader.Thread.Locator(".hearth");
        await Expect(panel).ToHaveCSSAsync("background-color", "rgb(22, 23, 27)");
        await reader.Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await Expect(panel).ToHaveCSSAsync("background-color", "rgb(255, 255, 255)");

        // A site that says "light" gets light whatever the page does.
        var fixedUrl = fx.Host.Add(HostPage.Article(fx.SnippetFor(site) with { Theme = "light" }, bodyStyle: "background: #0e0f12;"));
        await reader.OpenAsync(fixedUrl);
        await Expect(panel).ToHaveAttributeAsync("data-theme", "light");
    }

    [Fact]
    public async Task Hostile_styles_on_the_host_page_neither_hide_nor_shrink_the_widget_and_posting_still_works()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site), HostileCss);
        var parent = await fx.Hearth.CommentAsync(site, url, "Readable despite the theme.", name: "Ada");
        await fx.Hearth.CommentAsync(site, url, "A reply, indented.", parent.Id(), name: "Grace");

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        await Expect(reader.Comments).ToHaveCountAsync(2);
        foreach (var part in new[] { reader.Composer.Locator("textarea"), reader.Composer.Locator("button[type=submit]"),
                     reader.Comments.First.Locator(".body p"), reader.Comments.First.Locator("button.vote.up"), reader.Thread.Locator("h2") })
        {
            await Expect(part).ToBeVisibleAsync();
        }
        // Text keeps a readable size and the widget's own colour.
        var size = await reader.Comments.First.Locator(".body p").EvaluateAsync<double>("p => parseFloat(getComputedStyle(p).fontSize)");
        Assert.True(size >= 14, $"The host page shrank comment text to {size}px.");
        var heading = await reader.Thread.Locator("h2").EvaluateAsync<double>("h => parseFloat(getComputedStyle(h).fontSize)");
        Assert.True(heading > size, $"The heading ({heading}px) is not larger than the text ({size}px).");
        await Expect(reader.Comments.First.Locator(".body p")).Not.ToHaveCSSAsync("color", "rgb(255, 0, 0)");
        var box = await reader.Thread.BoundingBoxAsync();
        Assert.True(box!.Height > 300, $"The widget is only {box.Height}px tall.");
        await reader.ScreenshotAsync("hostile-css");

        await reader.PostAsync("Posted through a hostile theme.", name: "Margaret");
        await Expect(reader.Comment("hostile theme")).ToHaveCountAsync(1);
        await reader.Comment("A reply, indented.").Locator("> article button", new() { HasText = "Reply" }).ClickAsync();
        await Expect(reader.Thread.Locator("form.composer")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task On_a_phone_the_widget_fits_its_column_with_nothing_cut_off_or_overlapping()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site) with { Lang = "de" }, lang: "de");
        var parent = await fx.Hearth.CommentAsync(site, url, "Ein ziemlich langer Kommentar mit einem Donaudampfschifffahrtsgesellschaftskapitän darin.", name: "Ada");
        var reply = await fx.Hearth.CommentAsync(site, url, "Eine Antwort.", parent.Id(), name: "Grace", website: "https://grace.example/");
        var deeper = await fx.Hearth.CommentAsync(site, url, "Noch tiefer.", reply.Id(), name: "Linus");
        await fx.Hearth.CommentAsync(site, url, "Am tiefsten, flach gezeigt.", deeper.Id(), name: "Margaret");

        await using var reader = await fx.NewReaderAsync(new() { ViewportSize = new() { Width = 360, Height = 800 }, Locale = "de-DE" });
        await reader.OpenAsync(url);
        await Expect(reader.Comments).ToHaveCountAsync(4);
        await reader.Comment("Noch tiefer.").Locator("> article button", new() { HasText = "Antworten" }).ClickAsync();
        await reader.ScreenshotAsync("narrow-phone");

        // Nothing pokes out of the widget's box on either side.
        var overflowing = await reader.Thread.EvaluateAsync<string[]>("""
            host => {
              const box = host.getBoundingClientRect();
              return [...host.shadowRoot.querySelectorAll("*")]
                .filter(el => el.getClientRects().length)
                .filter(el => { const r = el.getBoundingClientRect(); return r.right > box.right + 1 || r.left < box.left - 1; })
                .map(el => el.tagName + "." + el.className + " " + el.textContent.slice(0, 20));
            }
            """);
        Assert.Empty(overflowing);
        await Expect(reader.Thread.Locator("[data-hearth-count]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_German_interface_translates_every_label_the_times_and_the_counts()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.Host.NewUrl();
        fx.Host.Set(url, HostPage.Article(fx.SnippetFor(site) with { Lang = "de" }, lang: "de",
            css: "") .Replace("</main>", $"<p>Dieser Beitrag hat <span data-hearth-count=\"{url}\">…</span>.</p></main>"));
        await fx.Hearth.CommentBeforeAsync(TimeSpan.FromHours(3), site, url, "Schöner Weg.", name: "Ada");
        await fx.Hearth.CommentAsync(site, url, "Finde ich auch.", name: "Grace");

        await using var reader = await fx.NewReaderAsync(new() { Locale = "de-DE" });
        await reader.OpenAsync(url);
        await Expect(reader.Thread.Locator("h2")).ToHaveTextAsync("2 Kommentare");
        await Expect(reader.Page.Locator("[data-hearth-count]")).ToHaveTextAsync("2 Kommentare");
        await Expect(reader.Thread.Locator(".head label")).ToContainTextAsync("Sortieren nach");
        await Expect(reader.Thread.Locator("select option")).ToHaveTextAsync(["Beste", "Neueste", "Älteste"]);
        await Expect(reader.Composer.Locator("button[type=submit]")).ToHaveTextAsync("Kommentar senden");
        await Expect(reader.Composer.Locator("textarea")).ToHaveAttributeAsync("placeholder", new Regex("Markdown funktioniert"));
        await Expect(reader.Comment("Schöner Weg.").Locator("> article time")).ToHaveTextAsync("vor 3 Stunden");
        await Expect(reader.Comment("Schöner Weg.").Locator("> article button", new() { HasText = "Antworten" })).ToBeVisibleAsync();
        await Expect(reader.Comment("Schöner Weg.").Locator("> article button.vote.up")).ToHaveAttributeAsync("aria-label", "Positiv bewerten");
        await reader.ScreenshotAsync("german");

        await reader.Composer.Locator("input[name=website]").FillAsync("meine seite");
        await reader.PostAsync("Mit falscher Website.", name: "Hans");
        await Expect(reader.Composer.Locator(".error")).ToHaveTextAsync("Die Website muss mit http:// oder https:// beginnen.");
    }

    static Task<double> Luminance(ILocator locator, string property) => locator.EvaluateAsync<double>($$"""
        el => {
          const [r, g, b] = getComputedStyle(el)["{{property}}"].match(/\d+(\.\d+)?/g).map(Number);
          const lin = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
          return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
        }
        """);
}
