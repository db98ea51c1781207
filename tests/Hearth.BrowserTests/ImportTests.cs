using System.Net;
using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

/// <summary>
/// An owner brings a blog's old Disqus conversation over from the settings page: chooses the file, sees the upload and
/// the run go by, reads the summary, and the blog's page shows the old comments in the widget.
/// </summary>
[Collection(WidgetCollection.Name)]
public class ImportTests(BrowserFixture fx)
{
    const string Password = "a long enough passphrase";

    /// <summary>A Disqus export of one page that lived at another address: a comment, a reply to it, and spam.</summary>
    static string Export(string oldUrl) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
          <thread dsq:id="t1"><id></id><link>{WebUtility.HtmlEncode(oldUrl)}</link><title>The lighthouse walk</title></thread>
          <post dsq:id="p2"><message><![CDATA[<p>Thank you! Going there on <b>Saturday</b>.</p>]]></message><createdAt>2019-06-02T10:00:00Z</createdAt>
            <author><email>ada@old.example</email><name>Ada Old</name></author><thread dsq:id="t1" /><parent dsq:id="p1" /></post>
          <post dsq:id="p1"><message><![CDATA[<p>The path past the dunes is the prettiest.</p>]]></message><createdAt>2019-06-01T09:00:00Z</createdAt>
            <author><email>bo@old.example</email><name>Bo Before</name></author><thread dsq:id="t1" /></post>
          <post dsq:id="p3"><message>Cheap watches here</message><createdAt>2019-06-03T09:00:00Z</createdAt><isSpam>true</isSpam>
            <author><name>Pedlar</name></author><thread dsq:id="t1" /></post>
        </disqus>
        """;

    [Fact]
    public async Task An_owner_imports_a_Disqus_export_in_the_browser_and_the_old_comments_appear_on_the_page()
    {
        var site = await fx.CreateSiteAsync();
        var article = fx.AddArticle(fx.SnippetFor(site));
        var email = $"iris-{Guid.NewGuid():N}@mail.example";
        await fx.Hearth.CreateAccountAsync(email, "Iris Importer " + Guid.NewGuid().ToString("N")[..6], Password);
        await fx.Hearth.MakeModeratorAsync(email, site, Hearth.Identity.SiteRole.Owner);
        // The blog moved: the export names the old host; the map sends it to the page on the host.
        var oldUrl = "https://old-blog.example" + new Uri(article).PathAndQuery;

        await using var owner = await fx.NewReaderAsync(new() { ViewportSize = new() { Width = 1000, Height = 900 } });
        await owner.Page.GotoAsync($"{fx.Hearth.BaseUrl}/account/signin?returnUrl={Uri.EscapeDataString($"/account/moderate/{site}/settings")}");
        await owner.Page.Locator("#email").FillAsync(email);
        await owner.Page.Locator("#password").FillAsync(Password);
        await owner.Page.Locator("form button[type=submit]").ClickAsync();
        await Expect(owner.Page.Locator("h1")).ToHaveTextAsync($"Settings of {site}");

        await owner.Page.Locator("#import-file").SetInputFilesAsync(new FilePayload
        {
            Name = "disqus-export.xml", MimeType = "application/xml", Buffer = Encoding.UTF8.GetBytes(Export(oldUrl)),
        });
        await owner.Page.Locator("#import-map").FillAsync($"https://old-blog.example/={fx.Host.Origin}/");
        await owner.Page.Locator("#import-form button[type=submit]").ClickAsync();
        await Expect(owner.Page.Locator("#import-status")).ToHaveTextAsync("Import finished.", new() { Timeout = 60_000 });
        await Expect(owner.Page.Locator("#import-summary")).ToContainTextAsync("Comments imported: 3 (of which tombstones: 0)");
        await owner.Page.Locator("#import").ScrollIntoViewIfNeededAsync();
        await owner.ScreenshotAsync("import-finished");

        // The page shows the conversation it had before, the spam kept out of view.
        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(article);
        await Expect(reader.Comment("The path past the dunes")).ToHaveCountAsync(1);
        await Expect(reader.Comment("Going there on Saturday")).ToHaveCountAsync(1);
        await Expect(reader.Comments).ToHaveCountAsync(2);
        await Expect(reader.Thread).Not.ToContainTextAsync("Cheap watches");

        // The settings page, opened again, keeps the run with its summary.
        await owner.Page.ReloadAsync();
        await Expect(owner.Page.Locator("#imports li").First).ToContainTextAsync("disqus-export.xml");
        await Expect(owner.Page.Locator("#imports li .badge").First).ToHaveTextAsync("done");
    }
}
