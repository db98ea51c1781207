using System.Collections.Concurrent;
using System.Net;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hearth.BrowserTests;

/// <summary>
/// Somebody's blog: a second origin on another port of 127.0.0.1 whose pages carry the embed snippet, so the widget
/// runs cross-origin exactly as it does on a real site.
/// </summary>
public sealed class HostSite : IAsyncDisposable
{
    readonly ConcurrentDictionary<string, string> _pages = new(StringComparer.Ordinal);
    readonly WebApplication _app;

    /// <summary>e.g. http://127.0.0.1:40123, exactly as the browser sends it in Origin.</summary>
    public string Origin { get; }

    HostSite(WebApplication app, string origin)
    {
        _app = app;
        Origin = origin;
    }

    public static async Task<HostSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "HostSite",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        HostSite? site = null;
        app.Run(async http =>
        {
            if (site!._pages.TryGetValue(http.Request.Path.Value ?? "", out var html))
            {
                http.Response.ContentType = "text/html; charset=utf-8";
                http.Response.Headers.CacheControl = "no-store";
                await http.Response.WriteAsync(html);
                return;
            }
            http.Response.StatusCode = StatusCodes.Status404NotFound;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        site = new HostSite(app, address.TrimEnd('/'));
        return site;
    }

    /// <summary>Serves <paramref name="html"/> at a fresh path and returns the page's full address.</summary>
    public string Add(string html, string? path = null)
    {
        path ??= "/posts/" + Guid.NewGuid().ToString("N")[..12];
        _pages[path] = html;
        return Origin + path;
    }

    /// <summary>Reserves an address first, for pages that must know their own URL.</summary>
    public string NewUrl() => Origin + "/posts/" + Guid.NewGuid().ToString("N")[..12];

    public void Set(string url, string html) => _pages[new Uri(url).AbsolutePath] = html;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>What a site owner pastes, with the optional attributes of the snippet.</summary>
public sealed record Snippet(string HearthUrl, string Site)
{
    public string? Url { get; init; }
    public string? Identifier { get; init; }
    public string? Title { get; init; }
    public string? Theme { get; init; }
    public string? Lang { get; init; }
    public string? SsoToken { get; init; }
    public string? Author { get; init; }

    public string Html()
    {
        var e = HtmlEncoder.Default;
        var attributes = string.Concat(
            Url is null ? "" : $" data-url=\"{e.Encode(Url)}\"",
            Identifier is null ? "" : $" data-identifier=\"{e.Encode(Identifier)}\"",
            Title is null ? "" : $" data-title=\"{e.Encode(Title)}\"",
            Theme is null ? "" : $" data-theme=\"{e.Encode(Theme)}\"",
            Lang is null ? "" : $" data-lang=\"{e.Encode(Lang)}\"",
            SsoToken is null ? "" : $" data-sso-token=\"{e.Encode(SsoToken)}\"",
            Author is null ? "" : $" data-author=\"{e.Encode(Author)}\"");
        return $"""
            <div id="hearth-thread"></div>
            <script src="{e.Encode(HearthUrl)}/embed.js" data-site="{e.Encode(Site)}"{attributes} async></script>
            """;
    }
}

public static class HostPage
{
    public const string Title = "A walk along the river";

    /// <summary>An article with the snippet under it; <paramref name="css"/> is the host site's own stylesheet.</summary>
    public static string Article(Snippet snippet, string? css = null, string lang = "en", string? bodyStyle = null) => $$"""
        <!doctype html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{Title}}</title>
        <style>
        body { font-family: Georgia, serif; margin: 0; {{bodyStyle}} }
        main { max-width: 704px; margin: 24px auto; padding: 0 16px; }
        {{css}}
        </style>
        </head>
        <body>
        <main>
        <h1>{{Title}}</h1>
        <p>The path follows the water for six miles, past two locks and a mill that still grinds flour on Saturdays.</p>
        {{snippet.Html()}}
        </main>
        </body>
        </html>
        """;
}
