namespace Hearth.People;

/// <summary>
/// What a person must have done on a site to reach each trust level (Hearth:Trust:...). The levels are earned by taking
/// part, never granted by hand, and kept in People.TrustLevel by the statements that move the counters.
/// </summary>
/// <remarks>
/// The defaults follow Discourse's trust levels, read for a comment section rather than a forum. Discourse's level 1
/// ("basic") asks a few minutes of reading and a handful of topics entered: here that is 3 approved comments on 2
/// different days, proof that someone came back and was let through more than once, which is what "first" moderation
/// wants to know. Discourse's level 2 ("member") asks 15 days visited, replies in 3 topics and a like received; Hearth
/// sees comments, not visits, so "regular" asks 20 approved comments over 10 days with comments and 3 replies received
/// from others (a reply is how a comment section says "we heard you"). Discourse's level 3 looks back 100 days for
/// flags and suspensions: an upheld report (readers took a comment down, or a moderator rejected one) drops the person
/// to level 0 and holds them there for <see cref="QuietDays"/> days; after that their next comment or approval earns
/// the level back from the counters, which were never reset. Levels are not lost otherwise (a removed comment does not
/// undo trust already earned), as in Discourse's first two levels.
/// </remarks>
public sealed class TrustOptions
{
    public int BasicApproved { get; set; } = 3;
    public int BasicDaysActive { get; set; } = 2;
    public int RegularApproved { get; set; } = 20;
    public int RegularDaysActive { get; set; } = 10;
    public int RegularRepliesReceived { get; set; } = 3;

    /// <summary>Days after an upheld report during which the person stays at level 0.</summary>
    public int QuietDays { get; set; } = 100;

    /// <summary>Days after their first comment here during which a person shows the "newcomer" badge and is listed for welcome.</summary>
    public int NewcomerDays { get; set; } = 14;

    /// <summary>The settings a level is computed from, as one text: when it changes, every level is set again at start.</summary>
    public string LevelThresholds() => FormattableString.Invariant(
        $"{BasicApproved}/{BasicDaysActive}/{RegularApproved}/{RegularDaysActive}/{RegularRepliesReceived}/{QuietDays}");

    /// <summary>The first reason the values make no sense, or null.</summary>
    public string? Problem() =>
        BasicApproved < 1 || BasicDaysActive < 1 || RegularRepliesReceived < 0 || QuietDays < 0 || NewcomerDays < 0
            ? "Hearth:Trust thresholds must be positive (approved comments and days at least 1)."
            : RegularApproved < BasicApproved || RegularDaysActive < BasicDaysActive
                ? "Hearth:Trust:Regular* must be at least the Basic* thresholds."
                : null;
}
