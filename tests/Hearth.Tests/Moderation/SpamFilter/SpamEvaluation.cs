using Hearth.Conversations;
using Hearth.Moderation.SpamFilter;

namespace Hearth.Tests.Moderation.SpamFilter;

/// <summary>A held-out comment and the filter's score for it.</summary>
public sealed record ScoredComment(LabelledComment Comment, SpamScore Score);

/// <summary>How the filter did at one threshold on the held-out comments.</summary>
public sealed record ThresholdResult(double Threshold, int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives)
{
    /// <summary>Of the comments called spam, the share that were (1 when none were called spam).</summary>
    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);

    /// <summary>Of the spam, the share that was called spam.</summary>
    public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);
}

/// <summary>
/// The filter as a site would have it: a model that learned the training comments one decision at a time (on top of
/// the built-in prior, exactly as in production), then scored on comments it never saw.
/// </summary>
public sealed class SpamEvaluation
{
    public required int Trained { get; init; }
    public required IReadOnlyList<ScoredComment> HeldOut { get; init; }

    public static SpamEvaluation Run(IReadOnlyList<LabelledComment> corpus)
    {
        var renderer = new MarkdownRenderer();
        var (train, heldOut) = SpamCorpus.Split(corpus);
        var model = new SpamModel(new SpamTotals { SiteId = 1 }, []);
        foreach (var comment in train)
        {
            model.Learn(SpamFeatures.Of(renderer.Render(comment.Body).Html, comment.Author), comment.Spam);
        }
        return new SpamEvaluation
        {
            Trained = train.Count,
            HeldOut = [.. heldOut.Select(c => new ScoredComment(c, model.Score(SpamFeatures.Of(renderer.Render(c.Body).Html, c.Author))))],
        };
    }

    public ThresholdResult At(double threshold)
    {
        int tp = 0, fp = 0, fn = 0, tn = 0;
        foreach (var (comment, score) in HeldOut)
        {
            var called = score.Probability >= threshold;
            _ = (called, comment.Spam) switch
            {
                (true, true) => tp++,
                (true, false) => fp++,
                (false, true) => fn++,
                (false, false) => tn++,
            };
        }
        return new ThresholdResult(threshold, tp, fp, fn, tn);
    }
}
