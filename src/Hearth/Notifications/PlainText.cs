using System.Net;
using System.Text.RegularExpressions;

namespace Hearth.Notifications;

/// <summary>A comment's sanitised HTML as plain text for the text part of an e-mail: paragraphs and lines kept, links written out.</summary>
public static partial class PlainText
{
    public static string FromHtml(string html)
    {
        var text = Link().Replace(html, m => m.Groups[2].Value == m.Groups[1].Value ? m.Groups[1].Value : $"{m.Groups[2].Value} <{m.Groups[1].Value}>");
        text = LineBreak().Replace(text, "\n");
        text = BlockEnd().Replace(text, "\n\n");
        text = ListItem().Replace(text, "- ");
        text = Tag().Replace(text, "");
        text = WebUtility.HtmlDecode(text);
        return Blank().Replace(text.Replace("\r", ""), "\n\n").Trim();
    }

    [GeneratedRegex("""<a\b[^>]*\bhref="([^"]*)"[^>]*>(.*?)</a>""", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Link();

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"</(p|div|blockquote|pre|ul|ol|li|h[1-6])>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnd();

    [GeneratedRegex(@"<li\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ListItem();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex Blank();
}
