using System.Globalization;
using System.Text;

namespace Hearth.Moderation;

/// <summary>
/// Banned and suspect words, matched word by word on text that is compatibility-normalised and case-folded, so
/// "Ｓｐａｍ", "SPAM" and "spam" are one word. No regular expressions: matching a list against a comment takes time in
/// proportion to their lengths whatever anyone writes.
/// </summary>
public static class WordList
{
    /// <summary>The words of a text, normalised: runs of letters and digits (with marks), lower-cased.</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        // A letter's UTF-16 units go straight into the word: a string per letter was a tenth of what a post allocated.
        Span<char> units = stackalloc char[2];
        foreach (var rune in text.Normalize(NormalizationForm.FormKC).EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (Rune.IsLetterOrDigit(rune) || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                current.Append(units[..Rune.ToLowerInvariant(rune).EncodeToUtf16(units)]);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }
        return words;
    }

    /// <summary>The first entry of the list (a word or a phrase) that the text contains as whole words, or null.</summary>
    public static string? FirstMatch(IReadOnlyList<string> entries, IReadOnlyList<string> words)
    {
        foreach (var entry in entries)
        {
            var phrase = Words(entry);
            if (phrase.Count == 0)
            {
                continue;
            }
            for (var start = 0; start + phrase.Count <= words.Count; start++)
            {
                var all = true;
                for (var i = 0; i < phrase.Count && all; i++)
                {
                    all = words[start + i] == phrase[i];
                }
                if (all)
                {
                    return entry;
                }
            }
        }
        return null;
    }

    /// <summary>The first entry of the list found in the comment's words or its author's name (nothing to do for an empty list).</summary>
    public static string? FirstMatch(IReadOnlyList<string> entries, CommentDraft draft) =>
        entries.Count == 0 ? null : FirstMatch(entries, Words(draft.Body.Source + " " + draft.Author.Name));

    /// <summary>A list as people type it ("buy now, casino"): trimmed, de-duplicated, empty entries dropped.</summary>
    public static List<string> Parse(IEnumerable<string> entries) =>
        [.. entries.SelectMany(e => e.Split([',', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(e => e.Length <= 100).Distinct(StringComparer.OrdinalIgnoreCase).Take(500)];
}
