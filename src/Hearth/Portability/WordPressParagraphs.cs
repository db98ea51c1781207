using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Hearth.Portability;

/// <summary>
/// WordPress stores a comment as typed: text with line breaks and perhaps some HTML, and adds the paragraphs only when
/// it shows the comment (wpautop). This does the same, roughly: a blank line ends a paragraph, a single line break
/// becomes &lt;br /&gt;, blocks that already are HTML blocks are not wrapped again, &lt;pre&gt; keeps its lines.
/// Nothing is escaped or unescaped: the markup is passed on as it was, for Hearth's sanitiser to judge.
/// </summary>
internal static partial class WordPressParagraphs
{
    public static string ToHtml(string text)
    {
        text = text.Replace("\r\n", "\n").Replace('\r', '\n').Trim();
        if (text.Length == 0)
            return "";

        // A <pre> block keeps its blank lines and line breaks; it is set aside and put back whole. The placeholder
        // holds a NUL, which no XML text can contain, so it cannot meet the comment's own text.
        var preBlocks = new List<string>();
        text = PreBlock().Replace(text, match =>
        {
            preBlocks.Add(match.Value);
            return $"\0{preBlocks.Count - 1}\0";
        });

        var html = new StringBuilder(text.Length + 32);
        foreach (var part in BlankLines().Split(text))
        {
            var paragraph = part.Trim();
            if (paragraph.Length == 0)
                continue;
            if (html.Length > 0)
                html.Append('\n');
            var lines = JoinLines(paragraph);
            if (StartsWithBlock().IsMatch(paragraph))
                html.Append(lines);
            else
                html.Append("<p>").Append(lines).Append("</p>");
        }

        if (preBlocks.Count == 0)
            return html.ToString();
        // All blocks go back in one pass: putting them back one at a time rewrote the whole comment once per block, and
        // a million characters of "<pre></pre>" are 90,000 blocks. A <pre> that stood alone in a paragraph is a block:
        // it is unwrapped from the paragraph it was given.
        return Placeholder().Replace(html.ToString(), match =>
            preBlocks[int.Parse(match.Groups["index"].ValueSpan, CultureInfo.InvariantCulture)]);
    }

    static string JoinLines(string paragraph)
    {
        var joined = new StringBuilder(paragraph.Length + 16);
        string? previous = null;
        foreach (var raw in paragraph.Split('\n'))
        {
            var line = raw.Trim(' ', '\t');
            if (previous is not null)
                joined.Append(EndsWithBreakOrBlock().IsMatch(previous) ? "\n" : "<br />\n");
            joined.Append(line);
            previous = line;
        }
        return joined.ToString();
    }

    [GeneratedRegex(@"<pre[\s>].*?</pre>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.NonBacktracking)]
    private static partial Regex PreBlock();

    // No text but a placeholder holds a NUL, so this cannot match the comment's own words.
    [GeneratedRegex(@"<p>\x00(?<index>[0-9]+)\x00</p>|\x00(?<index>[0-9]+)\x00")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\n[ \t]*\n", RegexOptions.NonBacktracking)]
    private static partial Regex BlankLines();

    // A line that already ends in <br>, or with a block's tag, gains no second break.
    [GeneratedRegex(@"(<br\s*/?>|</(p|div|li|ul|ol|blockquote|h[1-6]|table|tr|td|th|pre)>|<(ul|ol|li|blockquote|table|tr)>)$", RegexOptions.IgnoreCase | RegexOptions.RightToLeft)]
    private static partial Regex EndsWithBreakOrBlock();

    [GeneratedRegex(@"^(<(p|div|blockquote|ul|ol|li|pre|h[1-6]|table|hr|dl|figure|section|article|aside|form|address)[\s>/])|^\0\d+\0$", RegexOptions.IgnoreCase)]
    private static partial Regex StartsWithBlock();
}
