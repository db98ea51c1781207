using System.Globalization;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.People;

/// <summary>
/// The trust level as SQL, so the statement that moves a person's counters sets the level from the values it writes, in
/// the same row lock: no read then write, on either engine, from any node. Only the thresholds (whole numbers from the
/// configuration, validated) are put into the text; times travel as parameters.
/// </summary>
public static class TrustLevels
{
    public const int New = 0;
    public const int Basic = 1;
    public const int Regular = 2;

    /// <summary>The level the counters earn, in C#: for a row inserted by its first comment, and for tests.</summary>
    public static int Earned(TrustOptions t, int approved, int daysActive, int repliesReceived) =>
        approved >= t.RegularApproved && daysActive >= t.RegularDaysActive && repliesReceived >= t.RegularRepliesReceived ? Regular
        : approved >= t.BasicApproved && daysActive >= t.BasicDaysActive ? Basic
        : New;

    /// <summary>The same, over SQL expressions of the counters' new values.</summary>
    static string Earned(TrustOptions t, string approved, string days, string received) => string.Create(CultureInfo.InvariantCulture,
        $"""CASE WHEN ({approved}) >= {t.RegularApproved} AND ({days}) >= {t.RegularDaysActive} AND ({received}) >= {t.RegularRepliesReceived} THEN 2 WHEN ({approved}) >= {t.BasicApproved} AND ({days}) >= {t.BasicDaysActive} THEN 1 ELSE 0 END""");

    /// <summary>
    /// The new level of a row of <paramref name="table"/> ("People", or its alias) given its counters' new values: 0 while
    /// a report upheld since <paramref name="quietSince"/> (a placeholder) holds it; else the higher of the level it had and
    /// the one earned, so a removed comment never takes trust back.
    /// </summary>
    public static string Next(TrustOptions t, string table, string approved, string days, string received, string quietSince)
    {
        var earned = Earned(t, approved, days, received);
        return $"""CASE WHEN {table}."LastUpheldAt" > {quietSince} THEN 0 WHEN ({earned}) > {table}."TrustLevel" THEN ({earned}) ELSE {table}."TrustLevel" END""";
    }

    /// <summary>The start of the window in which an upheld report keeps a person at level 0.</summary>
    public static DateTime QuietSince(TrustOptions t, DateTime now) => DateTime.SpecifyKind(now, DateTimeKind.Utc).AddDays(-t.QuietDays);

    /// <summary>
    /// Sets every person's level from their counters: once for the rows kept before levels were, and again whenever the
    /// thresholds were lowered. Writes only the rows whose level changes, so a start with nothing to do writes nothing,
    /// and two nodes starting together write the same values.
    /// </summary>
    public static Task<int> RecomputeAsync(HearthDb db, TrustOptions t, DateTime now, CancellationToken ct)
    {
        var next = Next(t, "\"People\"", "\"People\".\"Approved\"", "\"People\".\"DaysActive\"", "\"People\".\"RepliesReceived\"", "{0}");
        // Only thresholds (validated whole numbers) are in the text; the time is a parameter.
        var update = $"""
            UPDATE "People" SET "TrustLevel" = {next}
            WHERE "MergedIntoId" IS NULL AND "TrustLevel" <> ({next})
            """;
        return db.Database.ExecuteSqlRawAsync(update, [QuietSince(t, now)], ct);
    }
}
