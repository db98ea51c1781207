using System.Security.Cryptography;
using System.Text;
using Ganss.Xss;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Hearth.Conversations;

public sealed record RenderedMarkdown(string Source, string Html, string Hash)
{
    /// <summary>Why these words cannot become a comment although they are within the length (nested too deep), or null.</summary>
    public string? Refusal { get; init; }

    /// <summary>What to tell the writer when this cannot be stored: the refusal, or that a reader would see nothing.</summary>
    public string? Problem => Refusal ?? (IsBlank ? "The comment has no visible text." : null);

    List<string>? _sourceWords;

    /// <summary>The words of the source (see WordList), cut once for both fingerprints below.</summary>
    List<string> SourceWords => _sourceWords ??= Moderation.WordList.Words(Source);

    string? _wordsHash;
    bool _wordsHashed;

    /// <summary>The hash of the distinct words (see NearDuplicates), worked out once for the check and the stored comment.</summary>
    public string? WordsHash
    {
        get
        {
            if (!_wordsHashed)
            {
                _wordsHash = Moderation.NearDuplicates.Hash(SourceWords);
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
                _fingerprint = Moderation.SimilarWords.Fingerprint(SourceWords);
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
public sealed partial class MarkdownRenderer
{
    /// <summary>
    /// How deep quotes, lists and emphasis may nest (Markdig counts every block and inline level). Markdig parses and
    /// writes recursively; its own limit is 128, and a conversation needs far less, so a body of 200 '>' is refused
    /// long before it costs stack or time, and what is stored stays shallow for every page that shows it.
    /// </summary>
    public const int MaxNesting = 32;

    public const string TooDeep = "Quotes, lists or emphasis are nested too deeply in this comment. Please use fewer levels.";

    /// <summary>
    /// How many '[' a comment may hold. Markdig looks for the end of every opened link text, so its time grows with
    /// the square of the brackets left open: 5,000 of them cost a second of CPU per request, 500 a few milliseconds,
    /// and no conversation needs more.
    /// </summary>
    public const int MaxBrackets = 500;

    public static readonly string TooManyBrackets = $"This comment has more than {MaxBrackets} square brackets. Please use fewer.";

    static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder
    {
        MaximumNestingDepth = MaxNesting,
    }
        .DisableHtml()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .UseSoftlineBreakAsHardlineBreak()
        .Build();

    readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    public RenderedMarkdown Render(string source)
    {
        var clean = TextRules.StripInvisibleControls(source.Replace("\r\n", "\n")).Trim();
        if (LeadingMarkers(clean) > MaxNesting)
        {
            return new RenderedMarkdown(clean, "", HashBody(clean)) { Refusal = TooDeep };
        }
        if (clean.AsSpan().Count('[') > MaxBrackets)
        {
            return new RenderedMarkdown(clean, "", HashBody(clean)) { Refusal = TooManyBrackets };
        }
        string markup;
        try
        {
            var document = Markdown.Parse(clean, Pipeline);
            foreach (var link in document.Descendants<LinkInline>())
            {
                // Images would make every reader's browser fetch from wherever the author likes.
                link.IsImage = false;
            }
            markup = document.ToHtml(Pipeline);
        }
        catch (ArgumentException e) when (e.GetType() == typeof(ArgumentException))
        {
            // Markdig's nesting limit, met while parsing or writing. Nothing else in it throws a plain ArgumentException
            // for a string; its subclasses (a null, a bad option) are bugs and stay errors.
            return new RenderedMarkdown(clean, "", HashBody(clean)) { Refusal = TooDeep };
        }
        // Character references (&#x202E;, &#8203;, &#1;) decode only now, after the source was cleaned, so the
        // output is cleaned again. Markdig escapes every <, > and & it writes, so dropping characters cannot make markup.
        var html = _sanitizer.Sanitize(TextRules.StripInvisibleControls(markup)).Trim();
        return new RenderedMarkdown(clean, html, HashBody(clean));
    }

    /// <summary>
    /// A stored comment's HTML changed as it is shown (its mentions marked, see <see cref="MentionLinks"/>), through the
    /// same sanitiser as every comment: what is added for a reader passes the wall that the words passed.
    /// </summary>
    public string Sanitize(string html) => _sanitizer.Sanitize(html).Trim();

    /// <summary>
    /// Another system's comment HTML (an import) through the same sanitiser, into the same safe subset as Hearth's own
    /// comments: a script, a style, an image, an event handler or a script link never survives. Source is the text a
    /// reader sees, which the duplicate checks and a later edit start from.
    /// </summary>
    public RenderedMarkdown SanitizeForeign(string html)
    {
        var clean = TextRules.StripInvisibleControls(html.Replace("\r\n", "\n"));
        // The parser builds any depth, but the sanitiser writes the tree back out by recursion, a stack frame per level:
        // markup that parses too deep, or into too many nodes, keeps its words only.
        if (!ShallowEnough(clean))
        {
            clean = "<p>" + System.Net.WebUtility.HtmlEncode(string.Join(' ', System.Net.WebUtility.HtmlDecode(TagPattern().Replace(clean, " "))
                .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))) + "</p>";
        }
        var safe = TextRules.StripInvisibleControls(_sanitizer.Sanitize(clean)).Trim();
        var text = string.Join(' ', System.Net.WebUtility.HtmlDecode(TagPattern().Replace(safe, " "))
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return new RenderedMarkdown(text, safe, HashBody(text));
    }

    /// <summary>Deeper than any conversation needs, far shallower than what costs a walk of the tree its stack.</summary>
    const int MaxForeignTagDepth = 256;

    /// <summary>
    /// Start tags one comment's markup may hold before it is not parsed at all. The parser looks through the elements
    /// still open at each start tag, so its cost grows with tags times depth; a long, richly formatted comment has a few
    /// hundred.
    /// </summary>
    const int MaxForeignStartTags = 4_000;

    /// <summary>
    /// Nodes the parsed markup may hold. The parser copies formatting elements left open into each later block (by the
    /// HTML standard), so a few thousand tags can make far more nodes than they are.
    /// </summary>
    const int MaxForeignNodes = 20_000;

    static readonly ThreadLocal<AngleSharp.Html.Parser.HtmlParser> ForeignParser = new(() => new());

    /// <summary>
    /// Whether markup parses (as the sanitiser will parse it) into a tree no deeper and no larger than the bounds above.
    /// The depth is the parser's own, measured on its tree without recursion: a scan of the text that guesses it is
    /// fooled by what the parser ignores or repairs (a "/" on an element that is not void, an end tag nothing opened,
    /// formatting reopened in each block).
    /// </summary>
    static bool ShallowEnough(string html)
    {
        var startTags = 0;
        for (var i = html.IndexOf('<'); i >= 0 && i + 1 < html.Length; i = html.IndexOf('<', i + 1))
        {
            if (char.IsAsciiLetter(html[i + 1]) && ++startTags > MaxForeignStartTags)
            {
                return false;
            }
        }
        if (startTags == 0)
        {
            return true;
        }
        using var document = ForeignParser.Value!.ParseDocument(html);
        var open = new Stack<(AngleSharp.Dom.INode Node, int Depth)>();
        open.Push((document, 0));
        var nodes = 0;
        while (open.TryPop(out var next))
        {
            if (next.Depth > MaxForeignTagDepth || ++nodes > MaxForeignNodes)
            {
                return false;
            }
            for (var child = next.Node.FirstChild; child is not null; child = child.NextSibling)
            {
                open.Push((child, next.Depth + 1));
            }
            // A template's children live apart from the tree, in its content.
            if (next.Node is AngleSharp.Html.Dom.IHtmlTemplateElement template)
            {
                for (var child = template.Content.FirstChild; child is not null; child = child.NextSibling)
                {
                    open.Push((child, next.Depth + 1));
                }
            }
        }
        return true;
    }

    /// <summary>Without backtracking: a field of tags that never close would cost its length once for each of them.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("<[^>]*>", System.Text.RegularExpressions.RegexOptions.NonBacktracking)]
    private static partial System.Text.RegularExpressions.Regex TagPattern();

    /// <summary>
    /// The most quote and list markers any line opens with ("> > - 1. "): a scan in one pass that turns the plain
    /// attacks away before Markdig, whose block parser takes quadratic time on them before its own limit trips.
    /// </summary>
    static int LeadingMarkers(string text)
    {
        int most = 0, count = 0, i = 0;
        var lineStart = true;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                (most, count, lineStart) = (Math.Max(most, count), 0, true);
                i++;
            }
            else if (!lineStart || c is ' ' or '\t')
            {
                i++;
            }
            else if (c == '>')
            {
                count++;
                i++;
            }
            else if (c is '-' or '+' or '*' && i + 1 < text.Length && text[i + 1] == ' ')
            {
                count++;
                i += 2;
            }
            else if (char.IsAsciiDigit(c))
            {
                var end = i;
                while (end < text.Length && end - i < 9 && char.IsAsciiDigit(text[end]))
                {
                    end++;
                }
                lineStart = end + 1 < text.Length && text[end] is '.' or ')' && text[end + 1] == ' ';
                count += lineStart ? 1 : 0;
                i = lineStart ? end + 2 : end;
            }
            else
            {
                lineStart = false;
            }
        }
        return Math.Max(most, count);
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
        // Keeping the words of a removed tag is right for <b> or <span>, wrong for what was never text: an imported
        // <script> or <style> goes with its content. (Markdown never produces them.)
        sanitizer.RemovingTag += (_, e) =>
        {
            if (e.Tag.LocalName is "script" or "style" or "template" or "noscript" or "iframe" or "object" or "svg" or "math" or "title")
            {
                e.Tag.TextContent = "";
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
