using System.Globalization;
using System.Text;

namespace Hearth.Conversations;

/// <summary>Rules for the plain-text fields people type: names, and the raw comment body.</summary>
public static class TextRules
{
    /// <summary>
    /// Bidirectional overrides and other invisible format characters let text look different from what it is
    /// (a name that reads backwards, a link that hides its target), so they go.
    /// </summary>
    public static string StripInvisibleControls(string text)
    {
        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsInvisibleControl(c))
            {
                builder ??= new StringBuilder(text, 0, i, text.Length);
                continue;
            }
            builder?.Append(c);
        }
        return builder?.ToString() ?? text;
    }

    static bool IsInvisibleControl(char c) =>
        // U+061C is the Arabic letter mark, a bidi mark like U+200E/U+200F; U+2060 is the word joiner, today's U+FEFF.
        c is '\u200B' or '\u200E' or '\u200F' or '\uFEFF' or '\u061C' or '\u2060'
        or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069')
        || (char.GetUnicodeCategory(c) == UnicodeCategory.Control && c is not ('\n' or '\t'));

    /// <summary>A display name: compatibility-normalised, no controls or line breaks, inner runs of spaces collapsed.</summary>
    public static string CleanName(string name)
    {
        var normalised = StripFormatCharacters(StripInvisibleControls(name.Normalize(NormalizationForm.FormKC)))
            .Replace('\n', ' ').Replace('\t', ' ');
        return string.Join(' ', normalised.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// A name loses every format character, joiners and soft hyphens too, and every other character Unicode calls
    /// default-ignorable (variation selectors, Hangul fillers ...) or that draws a blank: they show nothing, so
    /// "Ad\u200Dmin" would pass for "Admin" next to the real one, and a name of fillers would be no name at all. Other
    /// spaces become plain ones. Bodies keep joiners, which emoji sequences and some scripts need; a name can live
    /// without them.
    /// </summary>
    static string StripFormatCharacters(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                builder.Append(' ');
            }
            else if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.Format && !Identity.Unicode.UnicodeData.IsInvisible(rune))
            {
                builder.Append(rune);
            }
        }
        return builder.ToString();
    }
}
