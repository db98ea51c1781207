using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

[Collection(WidgetCollection.Name)]
public class ReportingTests(BrowserFixture fx)
{
    [Fact]
    public async Task A_reader_reports_a_comment_with_a_reason_without_leaving_the_thread()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        await fx.Hearth.CommentAsync(site, url, "Rude words about the lock keeper.", name: "Grump");

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        var comment = reader.Comment("Rude words");
        await comment.Locator("> article button:text('Report')").ClickAsync();
        var reason = comment.Locator("form.report select");
        await Expect(reason).ToBeFocusedAsync();
        await reason.SelectOptionAsync("abuse");
        await reader.ScreenshotAsync("report-form");
        await comment.Locator("form.report button[type=submit]").ClickAsync();

        await Expect(comment.Locator("[role=status]")).ToHaveTextAsync("Thank you. A moderator will look at it.");
        var reports = await fx.Hearth.ReportsAsync(site);
        Assert.Equal(["abuse"], reports);
        Assert.Empty(reader.PageErrors);
    }
}
