namespace Hearth.Moderation.SpamFilter;

/// <summary>
/// A site's spam filter, or the part of it one comment needs: multinomial naive Bayes over the tokens of
/// <see cref="SpamFeatures"/>, counted from the site's moderators' decisions on top of a small built-in prior
/// (<see cref="SpamPrior"/>), with Laplace smoothing, in log-probabilities.
/// <para>
/// Why our own few hundred lines and not ML.NET: naive Bayes learns one decision at a time by adding one to a
/// counter per token, which is a row per site and token in the database, changed in the same transaction as the
/// decision; taking a decision back subtracts the same ones. There is no training run, no model file to store per
/// site, and scoring a comment reads only the rows of its own tokens. It explains itself: the tokens that weighed
/// most are the reason a moderator reads. ML.NET would bring tens of megabytes of runtime, retrain in batches, and
/// keep a serialised model per site that a decision cannot simply nudge.
/// </para>
/// </summary>
public sealed class SpamModel
{
    /// <summary>
    /// At or above this probability of spam a comment goes to the spam queue. Chosen on held-out comments
    /// (BENCHMARKS.md) so that a comment called spam almost never is not: a good comment held by mistake costs a
    /// person their voice, while spam that passes is one more comment for a moderator to remove. Naive Bayes is
    /// sure of itself, so the line sits high: ordinary comments came within a hair of 0.99 there.
    /// </summary>
    public const double Threshold = 0.999;

    /// <summary>Laplace smoothing: a token seen on one side only is strong evidence, never proof.</summary>
    const double Smoothing = 1;

    /// <summary>The tokens shown to a moderator as the reason.</summary>
    const int TellingTokens = 3;

    readonly Dictionary<string, SpamTokenCount> _counts;

    public SpamModel(SpamTotals totals, IEnumerable<SpamTokenCount> counts)
    {
        Totals = totals;
        _counts = counts.ToDictionary(c => c.Token, StringComparer.Ordinal);
    }

    public SpamTotals Totals { get; }

    /// <summary>The counts loaded, and those learning added.</summary>
    public IEnumerable<SpamTokenCount> Counts => _counts.Values;

    public void Learn(IEnumerable<string> tokens, bool spam) => Add(tokens, spam, 1);

    /// <summary>Takes back what <see cref="Learn"/> added for the same tokens and side.</summary>
    public void Forget(IEnumerable<string> tokens, bool spam) => Add(tokens, spam, -1);

    void Add(IEnumerable<string> tokens, bool spam, int sign)
    {
        foreach (var token in tokens)
        {
            if (!_counts.TryGetValue(token, out var count))
            {
                count = new SpamTokenCount { SiteId = Totals.SiteId, Token = token };
                _counts.Add(token, count);
            }
            var known = count.Spam + count.Ham > 0;
            // Never below zero, and the totals move by what the count really moved.
            if (spam)
            {
                var moved = Math.Max(count.Spam + sign, 0) - count.Spam;
                count.Spam += moved;
                Totals.SpamTokens += moved;
            }
            else
            {
                var moved = Math.Max(count.Ham + sign, 0) - count.Ham;
                count.Ham += moved;
                Totals.HamTokens += moved;
            }
            Totals.Vocabulary += (count.Spam + count.Ham > 0 ? 1 : 0) - (known ? 1 : 0);
        }
        if (spam)
        {
            Totals.SpamComments = Math.Max(Totals.SpamComments + sign, 0);
        }
        else
        {
            Totals.HamComments = Math.Max(Totals.HamComments + sign, 0);
        }
    }

    /// <summary>
    /// How likely the comment with these tokens is spam. Tokens neither the site nor the prior has seen say nothing
    /// and are left out. Both sides start even: moderators decide mostly what was held, so how many comments they
    /// called spam tells how busy the spam queue was, not how likely the next comment is spam.
    /// </summary>
    public SpamScore Score(IReadOnlyCollection<string> tokens)
    {
        var weight = SpamPrior.Weight;
        var prior = SpamPrior.Counts;
        var vocabulary = Totals.Vocabulary + prior.Vocabulary;
        var spamDenominator = Math.Log(Totals.SpamTokens + weight * prior.SpamTokens + Smoothing * vocabulary);
        var hamDenominator = Math.Log(Totals.HamTokens + weight * prior.HamTokens + Smoothing * vocabulary);
        var logOdds = 0.0;
        var telling = new List<(string Token, double Weight)>();
        foreach (var token in tokens)
        {
            _counts.TryGetValue(token, out var site);
            prior.Tokens.TryGetValue(token, out var built);
            var spam = (site?.Spam ?? 0) + weight * built.Spam;
            var ham = (site?.Ham ?? 0) + weight * built.Ham;
            if (spam + ham <= 0)
            {
                continue;
            }
            var evidence = Math.Log(spam + Smoothing) - spamDenominator - (Math.Log(ham + Smoothing) - hamDenominator);
            logOdds += evidence;
            if (evidence > 0)
            {
                telling.Add((token, evidence));
            }
        }
        return new SpamScore(logOdds, [.. telling.OrderByDescending(t => t.Weight).Take(TellingTokens).Select(t => t.Token)]);
    }
}

/// <summary>A comment's score: the log-odds of spam, and the tokens that pointed most towards spam.</summary>
public sealed record SpamScore(double LogOdds, IReadOnlyList<string> Telling)
{
    public double Probability => 1 / (1 + Math.Exp(-LogOdds));

    public bool IsSpam => Probability >= SpamModel.Threshold;

    /// <summary>For the moderator: e.g. Spam score 0.997; most telling: "casino", "domain:win.example".</summary>
    public string Describe()
    {
        var shown = Math.Floor(Probability * 1000) / 1000;
        var tokens = string.Join(", ", Telling.Select(t => $"\"{(t.Length <= 40 ? t : t[..40])}\""));
        return FormattableString.Invariant($"Spam score {shown:0.000}") + (tokens.Length == 0 ? "." : $"; most telling: {tokens}.");
    }
}
