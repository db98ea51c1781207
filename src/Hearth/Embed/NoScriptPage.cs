using System.Text.Encodings.Web;
using Hearth.Conversations;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;

namespace Hearth.Embed;

/// <summary>
/// The thread as a plain HTML page: for readers without JavaScript (the snippet's noscript link) and for search
/// engines. It points back to the article, where the conversation can be joined.
/// </summary>
public static class NoScriptPage
{
    const int PageSize = 50;

    public static async Task<IResult> RenderAsync(HttpContext http, string site, string? url, string? identifier, string? cursor,
        SiteDirectory sites, ReadThread reader, InstanceKey keys, CancellationToken ct)
    {
        var found = await sites.FindAsync(site, ct);
        if (found is null)
        {
            return Problems.SiteNotFound(site);
        }
        var (address, field, error) = CommentInput.ReadAddress(url, identifier, found.Origins);
        if (address is null)
        {
            return Problems.Invalid(field!, error!);
        }
        if (!ThreadCursor.TryDecode(keys, ThreadPageCache.ThreadKey(found.Id, address.Value.Key), ThreadSort.Oldest, PageSize, cursor, out var after))
        {
            return Problems.Invalid("cursor", "The cursor is not one this page handed out.");
        }
        var page = await reader.RunAsync(found.Id, address.Value, ThreadSort.Oldest, after, PageSize, ct);
        var encode = HtmlEncoder.Default;
        // The page this conversation belongs to, as a link and as the canonical address: the thread's own address
        // while it is one of the site's (a thread found by its identifier may have been made before the site moved),
        // else the address asked for, which was checked above. Never somewhere the site does not own.
        var article = ThreadAddress.IsUnder(page.Thread.Url, found.Origins) ? page.Thread.Url : address.Value.Url;
        var title = page.Thread.Title is { } stored && TextRules.CleanName(stored) is { Length: > 0 } clean ? clean : article;
        var next = page.NextCursor is null
            ? ""
            : $"<p><a rel=\"next\" href=\"?url={encode.Encode(Uri.EscapeDataString(article))}"
              + (page.Thread.Identifier is { } id ? $"&amp;identifier={encode.Encode(Uri.EscapeDataString(id))}" : "")
              + $"&amp;cursor={encode.Encode(page.NextCursor)}\">Older comments continue on the next page</a></p>";
        var nonce = SecurityHeaders.Protect(http);
        var html = $$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Comments: {{encode.Encode(title)}}</title>
            <link rel="canonical" href="{{encode.Encode(article)}}">
            <style nonce="{{nonce}}">
            :root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
            body { max-width: 42rem; margin: 2rem auto; padding: 0 1rem; }
            .hearth-comments, .hearth-replies { list-style: none; padding-left: 0; }
            .hearth-replies { padding-left: 1.25rem; border-left: 2px solid #8884; }
            .hearth-comment header { display: flex; gap: .5rem; align-items: center; font-size: .9rem; }
            .hearth-avatar { border-radius: 50%; }
            .hearth-reply-to { opacity: .75; }
            </style>
            </head>
            <body>
            <p>Comments on <a href="{{encode.Encode(article)}}">{{encode.Encode(title)}}</a></p>
            {{ThreadHtml.Render(page)}}
            {{next}}
            <p><a href="{{encode.Encode(article)}}#hearth-thread">Join the conversation on the page itself</a></p>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
