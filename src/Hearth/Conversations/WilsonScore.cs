namespace Hearth.Conversations;

/// <summary>
/// "Best" order: the lower bound of the 95% Wilson score interval for the share of up-votes.
/// A comment with 3 up and 0 down ranks below one with 40 up and 2 down, and an unvoted one ranks 0.
/// </summary>
public static class WilsonScore
{
    const double Z = 1.959963984540054;

    public static double LowerBound(int upvotes, int downvotes)
    {
        var n = upvotes + downvotes;
        if (n <= 0)
        {
            return 0;
        }
        var p = (double)upvotes / n;
        var z2 = Z * Z;
        var centre = p + z2 / (2 * n);
        var margin = Z * Math.Sqrt((p * (1 - p) + z2 / (4 * n)) / n);
        return Math.Round((centre - margin) / (1 + z2 / n), 12);
    }
}
