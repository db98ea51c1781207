using System.Globalization;
using System.Text;

namespace Hearth.Identity;

/// <summary>
/// What a name looks like, for telling whether two names would pass for each other: compatibility-normalised,
/// case-folded, accents dropped, and letters of other scripts that look Latin (Cyrillic а, Greek ο, ...) as well as
/// look-alike digits and letter pairs (0 and o, 1 and l, rn and m) mapped to one form. Spaces, dots, dashes and
/// underscores do not count. A short table in the spirit of Unicode's confusables, covering the look-alikes that
/// occur in practice, rather than the full data file.
/// </summary>
public static class NameSkeleton
{
    static readonly Dictionary<char, char> LookAlikes = new()
    {
        // Cyrillic
        ['а'] = 'a', ['в'] = 'b', ['е'] = 'e', ['ё'] = 'e', ['к'] = 'k', ['м'] = 'm', ['н'] = 'h', ['о'] = 'o', ['р'] = 'p',
        ['с'] = 'c', ['т'] = 't', ['у'] = 'y', ['х'] = 'x', ['і'] = 'i', ['ї'] = 'i', ['ј'] = 'j', ['ѕ'] = 's', ['ԁ'] = 'd',
        ['ԛ'] = 'q', ['ԝ'] = 'w', ['һ'] = 'h', ['ӏ'] = 'l',
        // Greek
        ['α'] = 'a', ['β'] = 'b', ['ε'] = 'e', ['η'] = 'n', ['ι'] = 'i', ['κ'] = 'k', ['ν'] = 'v', ['ο'] = 'o', ['ρ'] = 'p',
        ['τ'] = 't', ['υ'] = 'u', ['χ'] = 'x', ['γ'] = 'y', ['ω'] = 'w',
        // Digits and Latin look-alikes
        ['0'] = 'o', ['1'] = 'l', ['i'] = 'l', ['|'] = 'l', ['5'] = 's', ['3'] = 'e', ['ı'] = 'l', ['ł'] = 'l', ['ø'] = 'o', ['đ'] = 'd',
    };

    public static string Of(string name)
    {
        var decomposed = name.Normalize(NormalizationForm.FormKC).ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.Format or UnicodeCategory.SpaceSeparator or UnicodeCategory.DashPunctuation or UnicodeCategory.ConnectorPunctuation
                || c is '.' or '\'' or '’')
            {
                continue;
            }
            var mapped = LookAlikes.GetValueOrDefault(c, c);
            builder.Append(LookAlikes.GetValueOrDefault(mapped, mapped)); // Cyrillic і is i, and i passes for l
        }
        return builder.ToString().Replace("rn", "m", StringComparison.Ordinal).Replace("vv", "w", StringComparison.Ordinal);
    }
}
