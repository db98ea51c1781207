using System.Globalization;
using System.Text;
using Hearth.Identity.Unicode;

namespace Hearth.Identity;

/// <summary>
/// Whether two names would pass for each other, on Unicode's own data: the skeletons of UTS #39 (every letter that
/// looks like another, in any script, mapped to one prototype: Cyrillic а, Armenian օ, Cherokee Ꭺ, Lisu ꓲ, 0 for O,
/// rn for m ...), with invisible characters taken out first, and case, accents, spaces, dots, dashes and underscores
/// not counting.
/// </summary>
public static class NameSkeleton
{
    /// <summary>
    /// The Latin small capitals (every "LATIN LETTER SMALL CAPITAL" of UnicodeData.txt 15.0, in the order of the
    /// alphabet; there is no small capital X). They are capitals drawn small, so for a name they are a matter of case,
    /// not of look-alikes, and UTS #39 keeps most of them apart from the letters they spell.
    /// </summary>
    const string SmallCapitals = "\u1D00\u0299\u1D04\u1D05\u1D07\uA730\u0262\u029C\u026A\u1D0A\u1D0B\u029F\u1D0D\u0274\u1D0F\u1D18\uA7AF\u0280\uA731\u1D1B\u1D1C\u1D20\u1D21\u028F\u1D22";
    const string SmallCapitalLetters = "abcdefghijklmnopqrstuvwyz";

    /// <summary>UTS #39 skeleton(X): NFD, each code point replaced by its prototype, NFD again.</summary>
    public static string Skeleton(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
        {
            if (UnicodeData.PrototypeOf(rune.Value) is { } prototype)
            {
                builder.Append(prototype);
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }
        return builder.ToString().Normalize(NormalizationForm.FormD);
    }

    /// <summary>True when the two names would pass for each other.</summary>
    public static bool PassesFor(string name, string other)
    {
        var keys = KeysOf(other);
        return KeysOf(name).Any(key => keys.Contains(key));
    }

    /// <summary>
    /// The forms a name is compared in; two names pass for each other when they share one. Looking alike does not
    /// survive changing case ("Ian" looks like "lan", "ian" does not) and compatibility forms can map elsewhere than
    /// their look-alike (ſ looks like f, but is an s), so the name is taken as written and lower-cased, each with and
    /// without compatibility normalisation.
    /// </summary>
    public static IReadOnlyList<string> KeysOf(string name)
    {
        var visible = Visible(name);
        var compatible = visible.Normalize(NormalizationForm.FormKC);
        return new[] { visible, Lower(visible), compatible, Lower(compatible) }.Select(Key).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The name without what draws nothing or only spaces it: default-ignorables, blanks, spaces, controls.</summary>
    static string Visible(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            if (!UnicodeData.IsInvisible(rune) && !Rune.IsWhiteSpace(rune) && !Rune.IsControl(rune)
                && Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator))
            {
                builder.Append(rune.ToString());
            }
        }
        return builder.ToString();
    }

    /// <summary>Skeleton, lower case, skeleton again (a capital's prototype may be a capital: 0 is O), then without marks and separators.</summary>
    static string Key(string text)
    {
        var skeleton = Skeleton(Lower(Skeleton(text)));
        var builder = new StringBuilder(skeleton.Length);
        foreach (var rune in skeleton.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.DashPunctuation or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.SpaceSeparator
                || rune.Value is '.' or '\'' or '’' || UnicodeData.IsInvisible(rune))
            {
                continue;
            }
            builder.Append(rune.ToString());
        }
        return builder.ToString();
    }

    static string Lower(string text)
    {
        var lower = text.ToLowerInvariant();
        if (lower.AsSpan().IndexOfAny(SmallCapitals) < 0)
        {
            return lower;
        }
        var chars = lower.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (SmallCapitals.IndexOf(chars[i], StringComparison.Ordinal) is var at and >= 0)
            {
                chars[i] = SmallCapitalLetters[at];
            }
        }
        return new string(chars);
    }
}
