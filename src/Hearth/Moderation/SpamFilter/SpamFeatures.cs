using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Hearth.Conversations;

namespace Hearth.Moderation.SpamFilter;

/// <summary>
/// What the spam filter reads in a comment, as a set of tokens: its words, normalised as the word lists normalise
/// them; its links (how many, to which domains, how much text surrounds them); and what the draft already says about
/// its author (guest or member, e-mail and website given or not), so nothing costs a query. Each token counts once
/// per comment: a word said five times is no more evidence than a word said once, and one long comment cannot
/// outvote the rest of the model. Tokens other than words carry a prefix with a colon, which no word can contain.
/// </summary>
public static partial class SpamFeatures
{
    /// <summary>Beyond this many distinct words a comment has said what it is; the rest would only cost time.</summary>
    const int MaxWords = 300;
    const int MaxDomains = 10;
    public const int MaxTokenLength = 64;
    static readonly char[] Digits = [.. "0123456789"];

    /// <summary>All the tokens of a comment, as the filter learns and scores it.</summary>
    public static IReadOnlyCollection<string> Of(string html, CommentAuthor author)
    {
        var tokens = OfBody(html);
        tokens.Add(author.Kind == AuthorKind.Member ? "author:member" : "author:guest");
        tokens.Add(string.IsNullOrEmpty(author.Email) ? "email:none" : "email:given");
        tokens.Add(string.IsNullOrEmpty(author.Website) ? "website:none" : "website:given");
        return tokens;
    }

    /// <summary>The tokens of the text and links alone (the built-in examples have no author).</summary>
    public static HashSet<string> OfBody(string html)
    {
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        var links = 0;
        var domains = 0;
        var text = new StringBuilder(html.Length);
        var last = 0;
        foreach (Match link in Link().Matches(html))
        {
            text.Append(html, last, link.Index - last).Append(' ');
            last = link.Index + link.Length;
            links++;
            var href = WebUtility.HtmlDecode(link.Groups["href"].Value);
            var label = WebUtility.HtmlDecode(Tag().Replace(link.Groups["text"].Value, " ")).Trim();
            // An address written out is read as its domain below, not as words; a link's own words are words.
            if (!label.Contains("://", StringComparison.Ordinal) && !label.StartsWith("www.", StringComparison.OrdinalIgnoreCase)
                && !string.Equals(label, href, StringComparison.OrdinalIgnoreCase))
            {
                text.Append(label).Append(' ');
            }
            if (domains < MaxDomains && Uri.TryCreate(href, UriKind.Absolute, out var uri) && uri.IdnHost.Length > 0)
            {
                var host = uri.IdnHost.ToLowerInvariant();
                host = host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;
                if (tokens.Add(Trim("domain:" + host)))
                {
                    domains++;
                    var dot = host.LastIndexOf('.');
                    tokens.Add(Trim("tld:" + host[(dot + 1)..]));
                    // The words a domain is made of ("cheap-meds24") outlast the domain itself.
                    foreach (var part in host[..Math.Max(dot, 0)].Split(['.', '-'], StringSplitOptions.RemoveEmptyEntries).TakeLast(4))
                    {
                        if (part.TrimEnd(Digits) is { Length: > 0 } word)
                        {
                            tokens.Add(Trim("host:" + word));
                        }
                    }
                }
            }
        }
        text.Append(html, last, html.Length - last);
        var plain = WebUtility.HtmlDecode(Tag().Replace(text.ToString(), " "));

        var words = WordList.Words(Disguises.JoinSymbols(plain));
        AddWords(tokens, words);
        if (plain.AsSpan().IndexOfAny("$€£") >= 0)
        {
            tokens.Add("text:money");
        }
        tokens.Add(links switch { 0 => "links:0", 1 => "links:1", <= 3 => "links:2-3", _ => "links:4+" });
        if (links > 0)
        {
            // How much a comment says besides its links: spam is often a link with a line around it.
            var perLink = words.Count / links;
            tokens.Add(perLink switch { < 4 => "linktext:bare", < 15 => "linktext:some", _ => "linktext:plenty" });
        }
        tokens.Add(words.Count switch { < 6 => "length:short", < 40 => "length:medium", _ => "length:long" });
        return tokens;
    }

    static void AddWords(HashSet<string> tokens, List<string> words)
    {
        var before = tokens.Count;
        var spelledOut = new StringBuilder();
        for (var i = 0; i <= words.Count && tokens.Count - before < MaxWords; i++)
        {
            var word = i < words.Count ? words[i] : null;
            // Letters set apart ("v i a g r a", "c.a.s.i.n.o") are read as the word they spell.
            if (word is { Length: 1 })
            {
                spelledOut.Append(word);
                continue;
            }
            if (spelledOut.Length >= 4)
            {
                tokens.Add(Trim(spelledOut.ToString()));
                tokens.Add("shape:spelled-out");
            }
            spelledOut.Clear();
            if (word is null)
            {
                break;
            }
            tokens.Add(Trim(word));
            if (Disguises.Plain(word) is { } plain)
            {
                tokens.Add(Trim(plain));
                tokens.Add("shape:disguised");
            }
        }
    }

    static string Trim(string token) => token.Length <= MaxTokenLength ? token : token[..MaxTokenLength];

    // The HTML was sanitised when it was rendered: links are plain <a href="..." rel="...">...</a> elements.
    [GeneratedRegex("<a\\b[^>]*?href=\"(?<href>[^\"]*)\"[^>]*>(?<text>.*?)</a>", RegexOptions.Singleline | RegexOptions.NonBacktracking)]
    private static partial Regex Link();

    [GeneratedRegex("<[^>]*>", RegexOptions.NonBacktracking)]
    private static partial Regex Tag();
}
