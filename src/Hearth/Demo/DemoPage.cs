using System.Text.Encodings.Web;
using Hearth.Conversations;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Demo;

/// <summary>The demo article at /demo, with its thread rendered on the server.</summary>
public static class DemoPage
{
    public const string Title = "Keeping a kitchen garden alive through winter";

    public static IEndpointRouteBuilder MapDemo(this IEndpointRouteBuilder app)
    {
        // The widget runs here as on any site, under Hearth's page policy: its loader, script and stylesheet are
        // Hearth's own files (the loader adds the script, and the stylesheet goes into a shadow root, without a nonce).
        app.MapGet("/demo", (HttpContext http) =>
            Results.Content(Layout(SecurityHeaders.Protect(http, scripts: "'self'", styles: "'self'")), "text/html; charset=utf-8"))
            .ExcludeFromDescription();
        return app;
    }

    static string Layout(string nonce) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{HtmlEncoder.Default.Encode(Title)}} · Hearth demo</title>
        <style nonce="{{nonce}}">{{Styles}}</style>
        </head>
        <body>
        <main>
        <article>
        <p class="kicker">Hearth demo page</p>
        <h1>{{HtmlEncoder.Default.Encode(Title)}}</h1>
        <p>Most herbs and small fruit trees that spend the summer on a balcony can live through winter indoors, but the
        move is a shock. The three things that matter are a steady temperature, as much light as the flat allows, and
        far less water than you think.</p>
        <p>Group pots together on a tray of damp gravel: the plants keep each other's air moist, which is what central
        heating takes away. Turn them a quarter every week so they do not lean towards the window, and resist the urge
        to repot until the days grow longer again.</p>
        <p>What worked for you, and what did not? The conversation below is live on this Hearth instance.</p>
        </article>
        {{Snippet}}
        </main>
        </body>
        </html>
        """;

    /// <summary>The same snippet a site owner pastes, pointing at this server.</summary>
    static readonly string Snippet = $"""
        <div id="hearth-thread"></div>
        <script src="/embed.js" data-site="{DemoSeeder.SiteName}" data-identifier="{DemoSeeder.ThreadIdentifier}" data-url="{DemoSeeder.PageUrl}" async></script>
        <noscript><a href="/embed/{DemoSeeder.SiteName}/thread?url={Uri.EscapeDataString(DemoSeeder.PageUrl)}&amp;identifier={DemoSeeder.ThreadIdentifier}">Read the comments</a></noscript>
        """;

    const string Styles = """
        :root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.55; }
        main { max-width: 42rem; margin: 2rem auto; padding: 0 1rem; }
        .kicker { text-transform: uppercase; letter-spacing: .08em; font-size: .8rem; opacity: .7; }
        """;
}
