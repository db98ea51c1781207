using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

/// <summary>A Hearth that has just been started, whose log the test reads as the person who started it would.</summary>
sealed class FreshHearth : HearthServer
{
    public Hearth.Tests.LogLines Log { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
    }
}

/// <summary>
/// From a new instance to a working thread on someone's blog, in the browser only: the setup code from the log (a
/// wrong one refused, the right one good once), the admin account, a site added in the console, its snippet pasted
/// into a page on another origin, a reader's comment there, and the console noticing the widget loads.
/// </summary>
[Collection(WidgetCollection.Name)]
public class FirstRunTests(BrowserFixture fx)
{
    const string Password = "a long enough passphrase";

    [Fact]
    public async Task A_new_instance_is_set_up_and_its_first_site_embedded_without_the_command_line()
    {
        await using var hearth = new FreshHearth();
        hearth.Start();
        var code = Assert.Single(hearth.Log.SetupCodes);

        await using var owner = await fx.NewReaderAsync(new() { ViewportSize = new() { Width = 1100, Height = 900 } });
        await owner.Page.GotoAsync(hearth.BaseUrl + "/");
        await owner.Page.Locator("#first-run a", new() { HasText = "set it up" }).ClickAsync();
        await Expect(owner.Page.Locator("h1")).ToHaveTextAsync("Set up this Hearth");
        await owner.ScreenshotAsync("first-run-setup");

        async Task FillAsync(string setupCode)
        {
            await owner.Page.Locator("#code").FillAsync(setupCode);
            await owner.Page.Locator("#email").FillAsync("olive@river.example");
            await owner.Page.Locator("#name").FillAsync("Olive Owner");
            await owner.Page.Locator("#password").FillAsync(Password);
            await owner.Page.Locator("form button[type=submit]").ClickAsync();
        }
        await FillAsync("WRNG-CODE-2345");
        await Expect(owner.Page.Locator("#form-error")).ToContainTextAsync("not the setup code");
        await FillAsync(code);
        await Expect(owner.Page.Locator("h1")).ToHaveTextAsync("Your sites");

        // The first site, for the blog on the host's origin.
        await owner.Page.Locator("#name").FillAsync("river-walks");
        await owner.Page.Locator("#origins").FillAsync(fx.Host.Origin);
        await owner.Page.Locator("button", new() { HasText = "Add the site" }).ClickAsync();
        await Expect(owner.Page.Locator("#added")).ToContainTextAsync("river-walks");
        var seen = owner.Page.Locator("li.site[data-site=river-walks] .seen");
        await Expect(seen).ToHaveTextAsync("not opened yet");
        var snippet = await owner.Page.Locator("li.site[data-site=river-walks] pre.snippet code").TextContentAsync();
        await owner.ScreenshotAsync("first-run-site-added");

        // Pasted as it is into the blog's page, on another origin.
        var page = fx.Host.Add($"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Along the river</title></head>
            <body><main><h1>Along the river</h1><p>Six miles of towpath.</p>
            {snippet}
            </main></body></html>
            """);
        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(page);
        await reader.PostAsync("Walked it on Sunday: the mill was open!", name: "Reza Reader");
        await Expect(reader.Comment("the mill was open")).ToHaveCountAsync(1);

        // The console, still open, learns that the widget loads there.
        await Expect(seen).ToHaveTextAsync("yes, just now");
        await owner.ScreenshotAsync("first-run-widget-seen");

        // The code was good once: the setup page is gone for everyone now.
        await using var stranger = await fx.NewReaderAsync();
        await stranger.Page.GotoAsync(hearth.BaseUrl + "/account/setup");
        await Expect(stranger.Page.Locator("h1")).ToHaveTextAsync("Set up already");
        await stranger.Page.GotoAsync(hearth.BaseUrl + "/");
        await Expect(stranger.Page.Locator("#first-run")).ToHaveCountAsync(0);
        Assert.Empty(owner.PageErrors);
        Assert.Empty(reader.PageErrors);
    }
}
