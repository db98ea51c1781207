namespace ImportData;

/// <summary>
/// Made-up but readable words and names, from syllables: tens of thousands of words and hundreds of thousands of
/// names without shipping a dictionary, the same for the same seed. Frequent words come from a short list of real ones,
/// as in any language, so text compresses and repeats the way comments do.
/// </summary>
sealed class Words
{
    static readonly string[] Common =
    [
        "the", "a", "and", "of", "to", "in", "is", "it", "that", "this", "for", "was", "on", "with", "as", "but", "not",
        "you", "I", "be", "are", "have", "at", "they", "we", "so", "if", "or", "what", "just", "about", "think", "would",
        "more", "like", "one", "all", "there", "when", "can", "people", "because", "really", "very", "know", "good",
        "article", "point", "agree", "never", "always", "thanks", "time", "much", "still", "same", "why", "how", "other",
    ];

    static readonly string[] Onsets = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br", "ch", "cl", "dr", "fl", "gr", "kr", "pl", "sh", "st", "th", "tr"];
    static readonly string[] Vowels = ["a", "e", "i", "o", "u", "ai", "ea", "ie", "oo", "ou", "é", "ö"];
    static readonly string[] Codas = ["", "", "n", "r", "s", "l", "m", "t", "nd", "rk", "st", "ck"];

    readonly string[] _vocabulary;
    readonly string[] _firstNames;
    readonly string[] _lastNames;
    readonly double[] _vocabularyWeights;

    public Words(Random random, int vocabulary = 40_000)
    {
        _vocabulary = Distinct(random, vocabulary, 1, 3);
        _firstNames = Distinct(random, 800, 2, 2).Select(Capital).ToArray();
        _lastNames = Distinct(random, 1_500, 2, 3).Select(Capital).ToArray();
        _vocabularyWeights = Zipf.Cumulative(_vocabulary.Length, 1.05);
    }

    /// <summary>Different names for the first 1.2 million indices (800 × 1,500), then numbered.</summary>
    public string Name(int index)
    {
        var first = _firstNames[index % _firstNames.Length];
        var last = _lastNames[index / _firstNames.Length % _lastNames.Length];
        var round = index / (_firstNames.Length * _lastNames.Length);
        return round == 0 ? $"{first} {last}" : $"{first} {last} {round + 1}";
    }

    public string Word(Random random) =>
        random.NextDouble() < 0.45 ? Common[random.Next(Common.Length)] : _vocabulary[Zipf.Pick(_vocabularyWeights, random)];

    public string Slug(Random random, int words) => string.Join('-', Enumerable.Range(0, words).Select(_ => _vocabulary[random.Next(_vocabulary.Length)]));

    public string Title(Random random, int words) => Capital(string.Join(' ', Enumerable.Range(0, words).Select(_ => Word(random))));

    static string[] Distinct(Random random, int count, int minSyllables, int maxSyllables)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (seen.Count < count)
        {
            var syllables = random.Next(minSyllables, maxSyllables + 1);
            var word = string.Concat(Enumerable.Range(0, syllables).Select(_ =>
                Onsets[random.Next(Onsets.Length)] + Vowels[random.Next(Vowels.Length)] + Codas[random.Next(Codas.Length)]));
            seen.Add(word);
        }
        return [.. seen];
    }

    public static string Capital(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];
}

/// <summary>Long-tail choices: the first few items are picked most of the time, the rest now and then.</summary>
static class Zipf
{
    public static double[] Cumulative(int count, double exponent, Random? shuffle = null)
    {
        var weights = Enumerable.Range(1, count).Select(rank => 1 / Math.Pow(rank, exponent)).ToArray();
        shuffle?.Shuffle(weights);
        var cumulative = new double[count];
        var sum = 0.0;
        for (var i = 0; i < count; i++)
        {
            sum += weights[i];
            cumulative[i] = sum;
        }
        return cumulative;
    }

    /// <summary>An index among the first <paramref name="upTo"/> items, by their weights.</summary>
    public static int Pick(double[] cumulative, Random random, int? upTo = null)
    {
        var end = upTo ?? cumulative.Length;
        var target = random.NextDouble() * cumulative[end - 1];
        var index = Array.BinarySearch(cumulative, 0, end, target);
        return Math.Min(index >= 0 ? index : ~index, end - 1);
    }
}
