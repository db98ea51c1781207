using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Hearth.Identity.Unicode;

/// <summary>
/// The two pieces of Unicode's data that telling names apart needs, from the compact copies beside this file (made by
/// scripts/unicode-name-data from Unicode 15.0.0): the confusable prototypes of UTS #39 and the default-ignorable code
/// points. Each is read from the assembly the first time it is asked for, once, and kept for the life of the process.
/// </summary>
public static class UnicodeData
{
    static readonly Lazy<FrozenDictionary<int, string>> Prototypes = new(LoadPrototypes);
    static readonly Lazy<(int First, int Last)[]> Ignorables = new(LoadIgnorables);

    /// <summary>
    /// Characters that are not default-ignorable but draw nothing all the same: the braille blank, which fonts leave
    /// empty, and the null notehead of musical notation. (The Hangul fillers U+115F, U+1160, U+3164 and U+FFA0 are
    /// default-ignorable already.)
    /// </summary>
    static readonly FrozenSet<int> Blanks = FrozenSet.Create(0x2800, 0x1D159);

    /// <summary>The prototype UTS #39 maps the code point to (one or more code points), or null when it is its own.</summary>
    public static string? PrototypeOf(int codePoint) => Prototypes.Value.GetValueOrDefault(codePoint);

    /// <summary>Default-ignorable code points (joiners, variation selectors, Hangul fillers, tags ...) and blanks: nothing to see.</summary>
    public static bool IsInvisible(Rune rune)
    {
        var value = rune.Value;
        if (Blanks.Contains(value))
        {
            return true;
        }
        var ranges = Ignorables.Value;
        int low = 0, high = ranges.Length - 1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (value < ranges[middle].First)
            {
                high = middle - 1;
            }
            else if (value > ranges[middle].Last)
            {
                low = middle + 1;
            }
            else
            {
                return true;
            }
        }
        return false;
    }

    static FrozenDictionary<int, string> LoadPrototypes()
    {
        var prototypes = new Dictionary<int, string>();
        foreach (var line in Lines("confusables.txt"))
        {
            var (source, target) = (line[..line.IndexOf(';')], line[(line.IndexOf(';') + 1)..]);
            var builder = new StringBuilder();
            foreach (var part in target.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                builder.Append(char.ConvertFromUtf32(Hex(part)));
            }
            prototypes[Hex(source)] = builder.ToString();
        }
        return prototypes.ToFrozenDictionary();
    }

    static (int, int)[] LoadIgnorables() =>
        [.. Lines("default-ignorable.txt")
            .Select(line => line.Split("..") is [var first, var last] ? (Hex(first), Hex(last)) : (Hex(line), Hex(line)))
            .OrderBy(range => range.Item1)];

    static int Hex(string text) => int.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    static IEnumerable<string> Lines(string file)
    {
        using var stream = typeof(UnicodeData).Assembly.GetManifestResourceStream("Hearth.Identity.Unicode." + file)
            ?? throw new InvalidOperationException($"The Unicode data file {file} is missing from the build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                yield return line;
            }
        }
    }
}
