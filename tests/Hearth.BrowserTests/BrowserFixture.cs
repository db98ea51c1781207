using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Hearth.BrowserTests;

/// <summary>
/// One Hearth server, one host site and one headless Chromium (Debian's, not a downloaded build), shared by the tests
/// of a collection. Each test opens its own browser context, so storage, cookies and caches never leak between tests.
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    IPlaywright? _playwright;

    public HearthServer Hearth { get; private set; } = null!;
    public HostSite Host { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    protected virtual HearthServer CreateServer() => new();

    public async Task InitializeAsync()
    {
        // The machine has two cores and a collection runs beside others: give the widget time, never a fixed sleep.
        Assertions.SetDefaultExpectTimeout(15_000);
        Hearth = CreateServer();
        Hearth.Start();
        Host = await HostSite.StartAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Third-party cookies are blocked, as browsers increasingly do: nothing of the widget may depend on them.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--test-third-party-cookie-phaseout"],
        });
    }

    /// <summary>A site that accepts writes from the host site, as its owner would set it up.</summary>
    public Task<string> CreateSiteAsync() => Hearth.CreateSiteAsync(Host.Origin);

    public Snippet SnippetFor(string site) => new(Hearth.BaseUrl, site);

    /// <summary>Puts an article with the snippet on the host site and returns its address (which is also the thread's URL).</summary>
    public string AddArticle(Snippet snippet, string? css = null, string lang = "en") =>
        Host.Add(HostPage.Article(snippet, css, lang));

    /// <summary>A fresh reader: new context (no storage, no cookies, no cache), one page.</summary>
    public async Task<Reader> NewReaderAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.Locale ??= "en-GB";
        options.TimezoneId ??= "Europe/Berlin";
        options.ViewportSize ??= new ViewportSize { Width = 900, Height = 900 };
        var context = await Browser.NewContextAsync(options);
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        return new Reader(this, context, page) { ScriptsEnabled = options.JavaScriptEnabled != false };
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
        if (Hearth is not null)
        {
            await Hearth.DisposeAsync();
        }
    }
}

/// <summary>One person with a browser: a context and a page, and what that page did on the network and on screen.</summary>
public sealed class Reader : IAsyncDisposable
{
    readonly BrowserFixture _fixture;

    public IBrowserContext Context { get; }
    public IPage Page { get; }

    /// <summary>Every request any page of the context made, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>alert(), confirm() and prompt() calls: a stored script that ran would show up here.</summary>
    public ConcurrentQueue<string> Dialogs { get; } = new();

    public ConcurrentQueue<string> PageErrors { get; } = new();

    /// <summary>False for a reader with JavaScript off, whose page cannot be asked to wait for a frame.</summary>
    public bool ScriptsEnabled { get; init; } = true;

    int _liveResponses;

    /// <summary>How many live streams the server has answered so far (each reconnect is one more).</summary>
    public int LiveResponses => Volatile.Read(ref _liveResponses);

    public Reader(BrowserFixture fixture, IBrowserContext context, IPage page)
    {
        _fixture = fixture;
        Context = context;
        Page = page;
        context.Request += (_, request) => Requests.Enqueue(request.Url);
        page.Dialog += async (_, dialog) =>
        {
            Dialogs.Enqueue(dialog.Type + ": " + dialog.Message);
            await dialog.DismissAsync();
        };
        page.PageError += (_, error) => PageErrors.Enqueue(error);
        context.Response += (_, response) =>
        {
            if (response.Url.Contains("/live?", StringComparison.Ordinal) && response.Status == 200)
            {
                Interlocked.Increment(ref _liveResponses);
            }
        };
    }

    /// <summary>The host element; Playwright's CSS locators pierce its open shadow root.</summary>
    public ILocator Thread => Page.Locator("#hearth-thread");
    public ILocator Comments => Thread.Locator("article.comment");
    public ILocator Composer => Thread.Locator("form.composer").First;

    /// <summary>A top-level or reply comment by its text.</summary>
    public ILocator Comment(string text) => Thread.Locator("li").Filter(new() { Has = Page.Locator(":scope > article", new() { HasText = text }) });

    public async Task OpenAsync(string url)
    {
        await Page.GotoAsync(url);
        await Assertions.Expect(Thread.Locator("h2")).ToBeVisibleAsync();
    }

    /// <summary>Types into the composer for a new comment and posts it with the mouse.</summary>
    public async Task PostAsync(string body, string? name = null)
    {
        await Composer.Locator("textarea").FillAsync(body);
        if (name is not null)
        {
            await Composer.Locator("input[name=name]").FillAsync(name);
        }
        await Composer.Locator("button[type=submit]").ClickAsync();
    }

    /// <summary>The origins of every request; only the host site and the Hearth server may appear.</summary>
    public IReadOnlyList<string> ForeignRequests()
    {
        var allowed = new[] { _fixture.Host.Origin, _fixture.Hearth.BaseUrl };
        return Requests
            .Where(url => !url.StartsWith("data:", StringComparison.Ordinal) && !url.StartsWith("blob:", StringComparison.Ordinal))
            .Where(url => !allowed.Contains(new Uri(url).GetLeftPart(UriPartial.Authority), StringComparer.OrdinalIgnoreCase))
            .ToList();
    }

    /// <summary>Saves a PNG of the page for a person to look at (see <see cref="Screenshots"/>).</summary>
    public async Task ScreenshotAsync(string name, bool fullPage = true)
    {
        var viewport = Page.ViewportSize!;
        fullPage &= ScriptsEnabled;
        if (fullPage)
        {
            // The widget draws only the comments near the window (content-visibility), so a long page is captured
            // through a window as tall as the page rather than stitched, which would leave the far parts blank.
            var height = await Page.EvaluateAsync<int>("document.documentElement.scrollHeight");
            await Page.SetViewportSizeAsync(viewport.Width, Math.Clamp(height, viewport.Height, 6000));
            await Page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
        }
        await Page.ScreenshotAsync(new() { Path = Screenshots.PathFor(name), FullPage = !ScriptsEnabled, Animations = ScreenshotAnimations.Disabled });
        if (fullPage)
        {
            await Page.SetViewportSizeAsync(viewport.Width, viewport.Height);
        }
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}

/// <summary>
/// Screenshots of each state go to $HEARTH_ARTIFACTS, or to TestResults/screenshots beside the test binaries; both
/// TestResults/ and artifacts/ are git-ignored.
/// </summary>
public static class Screenshots
{
    public static string Folder { get; } = Directory.CreateDirectory(
        Environment.GetEnvironmentVariable("HEARTH_ARTIFACTS") is { Length: > 0 } folder
            ? Path.Combine(folder, "screenshots")
            : Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots")).FullName;

    public static string PathFor(string name) => Path.Combine(Folder, name + ".png");
}

[CollectionDefinition(Name)]
public sealed class WidgetCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "widget";
}

public static class Wait
{
    /// <summary>Polls a condition on the test's side (what the browser asked for, what the server holds) until it holds.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, int timeoutMs = 15_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeoutMs} ms for {what}.");
            }
            await Task.Delay(25);
        }
    }
}
