using System.Collections.Concurrent;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

[Collection(WidgetCollection.Name)]
public class AccountSignInTests(BrowserFixture fx)
{
    [Fact]
    public async Task A_reader_signs_in_with_a_Hearth_account_in_a_window_and_comments_as_themselves_without_third_party_cookies()
    {
        var site = await fx.CreateSiteAsync();
        var email = $"ines-{Guid.NewGuid():N}@mail.example";
        await fx.Hearth.CreateAccountAsync(email, "Ines Varga", "a long enough passphrase");
        var url = fx.AddArticle(fx.SnippetFor(site));
        await using var reader = await fx.NewReaderAsync();
        var apiCalls = new ConcurrentQueue<IRequest>();
        reader.Page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/v1/", StringComparison.Ordinal))
            {
                apiCalls.Enqueue(request);
            }
        };
        await reader.OpenAsync(url);

        var opening = reader.Page.WaitForPopupAsync();
        await reader.Composer.Locator(".signin button").ClickAsync();
        var window = await opening;
        await window.Locator("#email").FillAsync(email);
        await window.Locator("#password").FillAsync("a long enough passphrase");
        await window.Locator("button[type=submit]").ClickAsync();
        await Expect(window.Locator("main")).ToContainTextAsync("as Ines Varga?");
        await window.ScreenshotAsync(new() { Path = Path.Combine(Screenshots.Folder, "account-window-consent.png") });
        // Agreeing hands the token over and closes the window.
        var closed = new TaskCompletionSource();
        window.Close += (_, _) => closed.TrySetResult();
        await window.Locator("button[type=submit]").ClickAsync();
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(15));

        await Expect(reader.Composer.Locator(".who")).ToContainTextAsync("Commenting as Ines Varga");
        await Expect(reader.Composer.Locator("input[name=name]")).ToHaveCountAsync(0);
        await reader.PostAsync("Signed in through Hearth's own window.");
        await Expect(reader.Comment("own window").Locator("> article .name")).ToHaveTextAsync("Ines Varga");
        await reader.ScreenshotAsync("account-signed-in");

        // The next visit finds the session on this device.
        await reader.Page.ReloadAsync();
        await Expect(reader.Composer.Locator(".who")).ToContainTextAsync("Commenting as Ines Varga");

        // The comments' requests carry the token, never a cookie: a browser that blocks third-party cookies loses nothing.
        foreach (var call in apiCalls)
        {
            Assert.False((await call.AllHeadersAsync()).ContainsKey("cookie"), $"{call.Method} {call.Url} sent a cookie");
        }

        await reader.Composer.Locator(".who button").ClickAsync();
        await Expect(reader.Composer.Locator("input[name=name]")).ToHaveCountAsync(1);
        await reader.Page.ReloadAsync();
        await Expect(reader.Composer.Locator(".signin button")).ToBeVisibleAsync();
        Assert.Empty(reader.PageErrors);
        Assert.Empty(reader.ForeignRequests());
    }
}
