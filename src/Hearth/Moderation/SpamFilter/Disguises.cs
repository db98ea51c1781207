using System.Text;

namespace Hearth.Moderation.SpamFilter;

/// <summary>
/// Spam spells its giveaway words so that word lists miss them: "v1agra", "c@sino", "cаsino" with a Cyrillic а.
/// The filter reads such a word twice, as written and plainly, so what it learned about "viagra" applies. Only what
/// sits between letters is mapped: "mp3", "x86" and "2024" are left alone.
/// </summary>
public static class Disguises
{
    static readonly Dictionary<char, char> LookAlikes = new()
    {
        ['0'] = 'o', ['1'] = 'i', ['3'] = 'e', ['4'] = 'a', ['5'] = 's', ['7'] = 't',
        // Cyrillic and Greek letters that pass for Latin ones
        ['а'] = 'a', ['в'] = 'b', ['е'] = 'e', ['к'] = 'k', ['м'] = 'm', ['н'] = 'h', ['о'] = 'o', ['р'] = 'p', ['с'] = 'c',
        ['т'] = 't', ['у'] = 'y', ['х'] = 'x', ['і'] = 'i', ['ѕ'] = 's', ['α'] = 'a', ['ε'] = 'e', ['ι'] = 'i', ['κ'] = 'k',
        ['ν'] = 'v', ['ο'] = 'o', ['ρ'] = 'p', ['τ'] = 't', ['υ'] = 'u',
    };

    /// <summary>"c@sino" and "ca$ino" become "casino" before the text is split into words (which would split them).</summary>
    public static string JoinSymbols(string text)
    {
        if (text.AsSpan().IndexOfAny('@', '$') < 0)
        {
            return text;
        }
        var builder = new StringBuilder(text);
        for (var i = 1; i < builder.Length - 1; i++)
        {
            if (builder[i] is '@' or '$' && char.IsLetter(builder[i - 1]) && char.IsLetter(builder[i + 1]))
            {
                builder[i] = builder[i] == '@' ? 'a' : 's';
            }
        }
        return builder.ToString();
    }

    /// <summary>The word spelled plainly in Latin letters, or null when it is not disguised.</summary>
    public static string? Plain(string word)
    {
        if (!word.Any(c => LookAlikes.ContainsKey(c)) || !word.Any(c => c is >= 'a' and <= 'z'))
        {
            return null;
        }
        var plain = new StringBuilder(word.Length);
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            if (!LookAlikes.TryGetValue(c, out var mapped))
            {
                plain.Append(c);
                continue;
            }
            if (char.IsAsciiDigit(c))
            {
                // A run of digits counts as letters only with letters on both sides of the whole run.
                var end = i;
                while (end < word.Length && char.IsAsciiDigit(word[end]))
                {
                    end++;
                }
                var between = i > 0 && char.IsLetter(word[i - 1]) && end < word.Length && char.IsLetter(word[end]);
                for (var j = i; j < end; j++)
                {
                    plain.Append(between && LookAlikes.TryGetValue(word[j], out var letter) ? letter : word[j]);
                }
                i = end - 1;
                continue;
            }
            plain.Append(mapped);
        }
        var result = plain.ToString();
        return result == word ? null : result;
    }
}
