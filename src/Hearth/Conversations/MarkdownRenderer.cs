using System.Security.Cryptography;
using System.Text;
using Ganss.Xss;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Hearth.Conversations;

public sealed record RenderedMarkdown(string Source, string Html, string Hash)
{
    string? _wordsHash;
    bool _wordsHashed;

    /// <summary>The hash of the distinct words (see NearDuplicates), worked out once for the check and the stored comment.</summary>
    public string? WordsHash
    {
        get
        {
            if (!_wordsHashed)
            {
                _wordsHash = Moderation.NearDuplicates.Hash(Source);
                _wordsHashed = true;
            }
            return _wordsHash;
        }
    }

    long[]? _fingerprint;
    bool _fingerprinted;

    /// <summary>The near-copy fingerprint (see SimilarWords), worked out once for the check and for storing.</summary>
    public long[]? Fingerprint
    {
        get
        {
            if (!_fingerprinted)
            {
                _fingerprint = Moderation.SimilarWords.Fingerprint(Source);
                _fingerprinted = true;
            }
            return _fingerprint;
        }
    }

    /// <summary>True when a reader would see nothing: no text and no rule, e.g. a body of only invisible characters.</summary>
    public bool IsBlank => !Html.Contains("<hr", StringComparison.Ordinal)
        && System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(Html, "<[^>]*>", "")).Trim().Length == 0;
}

/// <summary>
/// Comment Markdown to safe HTML, once, at write time. Markdig runs with raw HTML off; HtmlSanitizer is
/// the second wall in case a Markdown construct ever produces something it should not.
/// </summary>
public sealed class MarkdownRenderer
{
    static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .UseSoftlineBreakAsHardlineBreak()
        .Build();

    readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    public RenderedMarkdown Render(string source)
    {
        var clean = TextRules.StripInvisibleControls(source.Replace("\r\n", "\n")).Trim();
        var document = Markdown.Parse(clean, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            // Images would make every reader's browser fetch from wherever the author likes.
            link.IsImage = false;
        }
        // Character references (&#x202E;, &#8203;, &#1;) decode only now, after the source was cleaned, so the
        // output is cleaned again. Markdig escapes every <, > and & it writes, so dropping characters cannot make markup.
        var html = _sanitizer.Sanitize(TextRules.StripInvisibleControls(document.ToHtml(Pipeline))).Trim();
        return new RenderedMarkdown(clean, html, HashBody(clean));
    }

    /// <summary>Same words, same hash: whitespace and case differences do not make a new comment.</summary>
    public static string HashBody(string source)
    {
        var normalised = string.Join(' ', source.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
    }

    static HtmlSanitizer CreateSanitizer()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "p", "br", "em", "strong", "del", "ins", "mark", "sub", "sup", "code", "pre", "blockquote",
                "ul", "ol", "li", "a", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
            },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href", "title", "start" },
            AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "http", "https", "mailto" },
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href" },
            AllowedCssProperties = new HashSet<string>(),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
        };
        var sanitizer = new HtmlSanitizer(options) { KeepChildNodes = true };
        sanitizer.FilterUrl += (_, e) =>
        {
            // The sanitizer lets scheme-less addresses through. In a comment shown on someone else's page they
            // resolve against that page, and one encoded twice (&amp;#106;avascript:) turns into a script link as
            // soon as anything decodes it again. A link names its full http, https or mailto address, or has none.
            if (e.SanitizedUrl is { } url
                && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "mailto"))
            {
                e.SanitizedUrl = null;
            }
        };
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { LocalName: "a" } anchor)
            {
                anchor.SetAttribute("rel", "nofollow ugc noopener");
            }
        };
        return sanitizer;
    }
}
