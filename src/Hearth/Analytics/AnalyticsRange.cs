using System.Globalization;

namespace Hearth.Analytics;

/// <summary>
/// The days a report covers, whole UTC days from <see cref="From"/> to <see cref="To"/> inclusive. A report reads the
/// range's comments, the range of the same length before it and the <see cref="FollowUpDays"/> after it, so a range has
/// a longest length: one request never reads more than two years and a month of a site.
/// </summary>
public sealed record AnalyticsRange(DateOnly From, DateOnly To)
{
    public const int DefaultDays = 30;
    public const int MaxDays = 366;

    /// <summary>How long a reply or a second visit may take to count: within 30 days of the comment.</summary>
    public const int FollowUpDays = 30;

    public int Days => To.DayNumber - From.DayNumber + 1;
    public DateTime Start => From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
    public DateTime End => To.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>The range of the same length just before this one: what the belonging index moved from.</summary>
    public AnalyticsRange Previous => new(From.AddDays(-Days), From.AddDays(-1));

    /// <summary>
    /// The range a request asks for: yyyy-MM-dd dates, by default the last <see cref="DefaultDays"/> days to today.
    /// Returns the field and the reason when it cannot be read.
    /// </summary>
    public static (AnalyticsRange? Range, string? Field, string? Error) Parse(string? from, string? to, DateTime now)
    {
        var today = DateOnly.FromDateTime(now);
        if (!TryDate(to, today, out var end))
        {
            return (null, "to", "to must be a date written yyyy-MM-dd.");
        }
        if (!TryDate(from, end.AddDays(-(DefaultDays - 1)), out var start))
        {
            return (null, "from", "from must be a date written yyyy-MM-dd.");
        }
        if (start > end)
        {
            return (null, "from", "from must not be after to.");
        }
        if (end.DayNumber - start.DayNumber + 1 > MaxDays)
        {
            return (null, "from", $"A report covers at most {MaxDays} days; choose a shorter range.");
        }
        return (new AnalyticsRange(start, end), null, null);
    }

    static bool TryDate(string? text, DateOnly fallback, out DateOnly date)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            date = fallback;
            return true;
        }
        return DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
            && date.Year is >= 2000 and <= 9000;
    }

    public override string ToString() => $"{From:yyyy-MM-dd} to {To:yyyy-MM-dd}";
}
