namespace Hearth.Analytics;

/// <summary>
/// How much a site's conversation looks like a community rather than an audience, from 0 to 100: the mean of
/// - retention: the share of newcomers who came back on a later day within 30 days;
/// - reciprocity: the share of people outside the team who both replied to someone outside the team and were replied
///   to by someone outside the team (people talking with each other, not only with the host);
/// - response: the share of newcomers whose first comment got a reply from someone else within 30 days.
/// A part with nobody to measure is left out of the mean; with no comments there is no index at all.
/// </summary>
public static class BelongingIndex
{
    public static int? Of(double? retention, double? reciprocity, double? response, int comments)
    {
        if (comments == 0)
        {
            return null;
        }
        double sum = 0;
        var parts = 0;
        foreach (var part in new[] { retention, reciprocity, response })
        {
            if (part is { } value)
            {
                sum += value;
                parts++;
            }
        }
        return parts == 0 ? null : (int)Math.Round(100 * sum / parts, MidpointRounding.AwayFromZero);
    }

    public static double? Share(int part, int whole) => whole == 0 ? null : (double)part / whole;
}
