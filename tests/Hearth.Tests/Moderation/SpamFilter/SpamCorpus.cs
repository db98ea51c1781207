using Hearth.Conversations;

namespace Hearth.Tests.Moderation.SpamFilter;

/// <summary>A comment of the labelled data set: its Markdown, whether it is spam, the style it was written in, and its author.</summary>
public sealed record LabelledComment(string Body, bool Spam, string Style, CommentAuthor Author);

/// <summary>
/// The spam filter's labelled data set, generated: ordinary comments and spam in several styles each (see
/// <see cref="HamWriter"/> and <see cref="SpamWriter"/>), from a fixed seed so every run sees the same comments.
/// Shared by the quality test and bench/spam-filter, which links this folder's files.
/// </summary>
public static class SpamCorpus
{
    public const int Seed = 20261126;
    public const int HamCount = 720;
    public const int SpamCount = 480;

    public static List<LabelledComment> Generate(int seed = Seed)
    {
        var random = new Random(seed);
        var comments = new List<LabelledComment>(HamCount + SpamCount);
        for (var i = 0; i < HamCount; i++)
        {
            var (style, body) = HamWriter.Write(random);
            comments.Add(new LabelledComment(body, false, style, HamAuthor(random)));
        }
        for (var i = 0; i < SpamCount; i++)
        {
            var (style, body) = SpamWriter.Write(random);
            comments.Add(new LabelledComment(body, true, style, SpamAuthor(random)));
        }
        // Shuffled once, so the split below mixes styles and labels.
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(comments));
        return comments;
    }

    /// <summary>Every fifth comment is held out: the filter never learns from it, only scores it.</summary>
    public static (List<LabelledComment> Train, List<LabelledComment> HeldOut) Split(IReadOnlyList<LabelledComment> comments) =>
        ([.. comments.Where((_, i) => i % 5 != 0)], [.. comments.Where((_, i) => i % 5 == 0)]);

    // People with accounts write most of the conversation; spam comes mostly as guests who leave a website.
    static CommentAuthor HamAuthor(Random random) => random.NextDouble() < 0.35
        ? Author(AuthorKind.Member, email: false, website: random.NextDouble() < 0.15)
        : Author(AuthorKind.Guest, email: random.NextDouble() < 0.7, website: random.NextDouble() < 0.15);

    static CommentAuthor SpamAuthor(Random random) => random.NextDouble() < 0.05
        ? Author(AuthorKind.Member, email: false, website: random.NextDouble() < 0.4)
        : Author(AuthorKind.Guest, email: random.NextDouble() < 0.8, website: random.NextDouble() < 0.55);

    static CommentAuthor Author(AuthorKind kind, bool email, bool website) => new()
    {
        Kind = kind,
        Name = "Someone",
        Email = email ? "someone@mail.example" : null,
        Website = website ? "https://someone.example" : null,
    };

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    /// <summary>One of the styles, each with its weight.</summary>
    public static (string Style, string Body) OneOf(this Random random, params (string Style, int Weight, Func<Random, string> Write)[] styles)
    {
        var roll = random.Next(styles.Sum(s => s.Weight));
        foreach (var (style, weight, write) in styles)
        {
            if (roll < weight)
            {
                return (style, write(random));
            }
            roll -= weight;
        }
        throw new InvalidOperationException("unreachable");
    }
}
