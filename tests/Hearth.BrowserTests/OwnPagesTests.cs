using System.Collections.Concurrent;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

/// <summary>A server as a newcomer starts it: with the demo site and its page.</summary>
public sealed class DemoServer : HearthServer
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Hearth:SeedDemo"] = "true" };
}

public sealed class DemoFixture : BrowserFixture
{
    protected override HearthServer CreateServer() => new DemoServer();
}

/// <summary>Hearth's own pages work under the policy they are served with: nothing refused, nothing from elsewhere.</summary>
public class OwnPagesTests(DemoFixture fx) : IClassFixture<DemoFixture>
{
    [Fact]
    public async Task The_demo_page_runs_the_widget_under_its_content_security_policy()
    {
        await using var reader = await fx.NewReaderAsync();
        var refused = Watch(reader.Page);

        var response = await reader.Page.GotoAsync(fx.Hearth.BaseUrl + "/demo");
        Assert.Contains("script-src", await response!.HeaderValueAsync("content-security-policy") ?? "");
        await Expect(reader.Thread.Locator("h2")).ToBeVisibleAsync();
        await Expect(reader.Comments).ToHaveCountAsync(7);
        await reader.PostAsync("Posted from the demo page itself.", name: "Visitor");
        await Expect(reader.Comment("Posted from the demo page itself.")).ToBeVisibleAsync();
        await Expect(reader.Comments).ToHaveCountAsync(8);

        Assert.Empty(refused);
        Assert.Empty(reader.PageErrors);
        Assert.Empty(reader.ForeignRequests());
    }

    [Fact]
    public async Task The_api_reference_draws_with_nothing_from_anyone_else()
    {
        await using var reader = await fx.NewReaderAsync();
        var refused = Watch(reader.Page);

        await reader.Page.GotoAsync(fx.Hearth.BaseUrl + "/scalar/v1");
        await Expect(reader.Page.GetByText("Hearth API").First).ToBeVisibleAsync();
        await Expect(reader.Page.GetByText("Post a comment or a reply").First).ToBeAttachedAsync();

        Assert.Empty(refused);
        Assert.Empty(reader.PageErrors);
        Assert.Empty(reader.ForeignRequests());
    }

    /// <summary>What the page's policy refused, as Chromium reports it on the console.</summary>
    static ConcurrentQueue<string> Watch(IPage page)
    {
        var refused = new ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                refused.Enqueue(message.Text);
            }
        };
        return refused;
    }
}
