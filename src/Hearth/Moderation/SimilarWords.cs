namespace Hearth.Moderation;

/// <summary>
/// A comment's fingerprint for finding near-copies: MinHash over its runs of three consecutive words, one stored hash per
/// band (locality-sensitive hashing with bands of one row). Two comments share about <see cref="Bands"/> × J bands,
/// J being the share of word runs they have in common: a copy with a word or two changed shares most bands, an
/// unrelated comment on the same subject a few. The hashes are fixed (FNV-1a and a fixed mixer, not string.GetHashCode) because they are
/// stored and compared across restarts.
/// </summary>
public static class SimilarWords
{
    /// <summary>Shorter comments are said alike by many people ("Thanks, great article, very helpful!").</summary>
    public const int MinimumWords = 8;
    public const int Bands = 24;

    /// <summary>
    /// How many bands two comments must share to count as the same words: J of about 0.4 or more, which one or two
    /// words changed in twenty still reach. Unrelated comments rarely share a run of three words, let alone ten bands.
    /// </summary>
    public const int SharedBandsForSame = 10;

    /// <summary>
    /// How many of the bands are looked up by value. Another comment becomes a candidate when it shares one of them, and
    /// is then compared band by band. A comment sharing just the ten bands that make "the same" is missed only when
    /// none of them is a key: about one time in 250 with eight keys (one in 45 with six); one sharing seventeen bands or
    /// more (a word or two changed) is always found. A post writes eight entries at random places of an index instead of
    /// twenty-four.
    /// </summary>
    public const int KeyBands = 8;

    /// <summary>The bands looked up by value: the first <see cref="KeyBands"/>, each once.</summary>
    public static long[] Keys(long[] fingerprint) => fingerprint.Take(KeyBands).Distinct().ToArray();

    static readonly ulong[] Seeds = MakeSeeds();

    /// <summary>The band hashes of a text, from its words (<see cref="WordList.Words"/>), or null for one too short to judge this way.</summary>
    public static long[]? Fingerprint(IReadOnlyList<string> words)
    {
        if (words.Count < MinimumWords)
        {
            return null;
        }
        var minimums = new ulong[Bands];
        Array.Fill(minimums, ulong.MaxValue);
        for (var i = 0; i + 2 < words.Count; i++)
        {
            var run = Fnv(words[i + 2], Fnv(" ", Fnv(words[i + 1], Fnv(" ", Fnv(words[i], 14695981039346656037UL)))));
            for (var h = 0; h < Bands; h++)
            {
                var value = Mix(run ^ Seeds[h]);
                if (value < minimums[h])
                {
                    minimums[h] = value;
                }
            }
        }
        // The band's number goes into its hash: the same minimum under two hash functions is no match.
        var bands = new long[Bands];
        for (var b = 0; b < Bands; b++)
        {
            bands[b] = (long)Mix(minimums[b] ^ Seeds[(b + 1) % Bands]);
        }
        return bands;
    }

    static ulong Fnv(string text, ulong hash)
    {
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash;
    }

    /// <summary>SplitMix64's finaliser: spreads every input bit over the whole word.</summary>
    static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    static ulong[] MakeSeeds()
    {
        var seeds = new ulong[Bands];
        var state = 0x48656172746850UL;
        for (var i = 0; i < Bands; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            seeds[i] = Mix(state);
        }
        return seeds;
    }
}
