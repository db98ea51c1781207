using System.Text.Encodings.Web;
using Hearth.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace Hearth.Accounts;

/// <summary>
/// The account pages: plain server-rendered HTML on Hearth's own origin, every value encoded, a strict Content
/// Security Policy (inline style and script only with this response's nonce), never framed, never cached.
/// </summary>
public static class AccountHtml
{
    static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    public static string E(string? text) => Encoder.Encode(text ?? "");

    /// <summary>A hidden field with the anti-forgery token every form of these pages must send back.</summary>
    public static string Csrf(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\">";
    }

    /// <param name="scriptFile">One of Hearth's own scripts for the page, loaded with the page's nonce.</param>
    /// <param name="wide">For pages of charts and tables (the dashboard), which need more than a form's width.</param>
    public static IResult Page(HttpContext http, string title, string body, string? script = null, int status = 200, string? scriptFile = null,
        bool wide = false)
    {
        var nonce = Protect(http);
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{E(title)}} · Hearth</title>
            <style nonce="{{nonce}}">
            :root { color-scheme: light dark; --accent: #0b57d0; --muted: #575a63; --border: #c9ccd3; --danger: #b3261e; }
            @media (prefers-color-scheme: dark) { :root { --accent: #8ab4f8; --muted: #a8abb4; --border: #474a53; --danger: #f2b8b5; } }
            html { background: Canvas; color: CanvasText; }
            body { font: 17px/1.55 system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; overflow-wrap: break-word; }
            h1 { font-size: 1.5rem; }
            label { display: block; margin: 0.9rem 0 0.2rem; }
            textarea { font: inherit; width: 100%; box-sizing: border-box; padding: 0.45rem 0.6rem; border: 1px solid var(--border); border-radius: 8px; }
            input { font: inherit; width: 100%; box-sizing: border-box; padding: 0.45rem 0.6rem; border: 1px solid var(--border); border-radius: 8px; }
            button { font: inherit; margin-top: 1.2rem; padding: 0.5rem 1.1rem; border-radius: 8px; border: 1px solid var(--accent); background: var(--accent); color: Canvas; font-weight: 600; cursor: pointer; }
            button.quiet { background: none; color: var(--accent); margin: 0; padding: 0.2rem 0.5rem; font-weight: 400; }
            select { font: inherit; width: 100%; box-sizing: border-box; padding: 0.45rem 0.6rem; border: 1px solid var(--border); border-radius: 8px; background: Canvas; color: CanvasText; }
            a.action { display: inline-block; margin: 0.4rem 0.5rem 0 0; padding: 0.5rem 1.1rem; border-radius: 8px; border: 1px solid var(--accent); background: var(--accent); color: Canvas; font-weight: 600; text-decoration: none; }
            a.action.secondary { background: none; color: var(--accent); }
            :focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
            a { color: var(--accent); }
            .hint, .muted { color: var(--muted); font-size: 0.9rem; }
            .error { color: var(--danger); }
            table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
            fieldset { border: 1px solid var(--border); border-radius: 8px; margin: 1rem 0 0; }
            fieldset label { display: flex; gap: 0.5rem; align-items: baseline; margin: 0.4rem 0; }
            fieldset input, input[type=checkbox], input[type=radio] { width: auto; }
            h2 { font-size: 1.15rem; margin-top: 2rem; }
            ul.comments { list-style: none; padding: 0; } ul.comments li { border-bottom: 1px solid var(--border); padding: 0.3rem 0; }
            .comment-body { overflow-wrap: anywhere; }
            img.avatar { border-radius: 50%; display: block; }
            .avatar-form input[type=file] { border: none; padding: 0.3rem 0; }
            td, th { text-align: left; padding: 0.4rem 0.3rem; border-bottom: 1px solid var(--border); vertical-align: top; }
            ul.inbox { list-style: none; padding: 0; } ul.inbox > li { border-bottom: 1px solid var(--border); padding: 0.5rem 0 0.6rem; }
            ul.inbox > li.unread { border-left: 3px solid var(--accent); padding-left: 0.7rem; }
            ul.inbox p.about { margin: 0 0 0.3rem; } ul.inbox .words { overflow-wrap: anywhere; }
            .badge { font-size: 0.8rem; font-weight: 600; color: var(--accent); border: 1px solid var(--accent); border-radius: 999px; padding: 0 0.45rem; }
            details.reply summary { color: var(--accent); cursor: pointer; width: fit-content; padding: 0.2rem 0; }
            details.reply label { margin-top: 0.4rem; } details.reply button { margin: 0.5rem 0 0.4rem; }
            .notice { border-left: 3px solid var(--accent); padding: 0.3rem 0.7rem; }
            ol.lively, ul.people { list-style: none; padding: 0; } ol.lively > li, ul.people > li { border-bottom: 1px solid var(--border); padding: 0.5rem 0; }
            ol.lively a.title { font-weight: 600; } ol.lively p { margin: 0.1rem 0 0; } ul.people .name { font-weight: 600; }
            nav.filter ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; font-size: 0.9rem; }
            nav.filter a[aria-current] { font-weight: 600; text-decoration: none; }
            nav.views ul { list-style: none; padding: 0; margin: 0 0 1rem; display: flex; gap: 0.5rem; border-bottom: 1px solid var(--border); }
            nav.views a { display: inline-block; padding: 0.4rem 0.8rem; text-decoration: none; border-bottom: 3px solid transparent; }
            nav.views a[aria-current] { font-weight: 600; border-bottom-color: var(--accent); color: CanvasText; }
            ul.conversations h2.conversation { font-size: 1.05rem; margin: 0 0 0.1rem; overflow-wrap: anywhere; }
            ul.conversations form { display: inline-block; margin-right: 0.5rem; }
            body.wide { max-width: 62rem; }
            .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(9.5rem, 1fr)); gap: 0.8rem; padding: 0; list-style: none; }
            .tiles li { border: 1px solid var(--border); border-radius: 8px; padding: 0.5rem 0.7rem; }
            .tiles .value { display: block; font-size: 1.5rem; font-weight: 600; }
            figure.chart { margin: 0.8rem 0; } figure.chart svg { width: 100%; height: auto; display: block; }
            svg .new { fill: var(--accent); } svg .returning { fill: var(--muted); } svg .axis { stroke: var(--border); }
            svg text { fill: currentColor; font: 12px system-ui, sans-serif; }
            @media (max-width: 40rem) { svg text { font-size: 22px; } }
            table a { overflow-wrap: anywhere; }
            .key { display: inline-flex; align-items: center; gap: 0.3rem; margin-right: 1rem; font-size: 0.9rem; }
            .swatch { width: 0.8rem; height: 0.8rem; border-radius: 2px; display: inline-block; background: var(--accent); }
            .swatch.returning { background: var(--muted); }
            .index { font-size: 3rem; font-weight: 700; line-height: 1; }
            form.range { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; }
            form.range label { margin: 0; } form.range input { width: auto; } form.range button { margin: 0; }
            .scroll { overflow-x: auto; }
            pre.snippet { padding: 0.6rem; border: 1px solid var(--border); border-radius: 8px; font-size: 0.85rem; white-space: pre-wrap; overflow-wrap: anywhere; }
            ul.origins { margin: 0.2rem 0; }
            form.inline { display: inline; }
            </style></head>
            <body{{(wide ? " class=\"wide\"" : "")}}><main>
            <h1>{{E(title)}}</h1>
            {{body}}
            </main>{{(script is null ? "" : $"<script nonce=\"{nonce}\">{script}</script>")}}{{(scriptFile is null ? "" : $"<script src=\"{E(scriptFile)}\" nonce=\"{nonce}\" defer></script>")}}</body></html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>The page policy every page of Hearth carries (<see cref="SecurityHeaders"/>), and never cached. Returns the nonce.</summary>
    public static string Protect(HttpContext http)
    {
        var nonce = SecurityHeaders.Protect(http);
        http.Response.Headers.CacheControl = "no-store";
        return nonce;
    }

    public static string Error(string? message) => message is null ? "" : $"<p class=\"error\" role=\"alert\" id=\"form-error\">{E(message)}</p>";
}
