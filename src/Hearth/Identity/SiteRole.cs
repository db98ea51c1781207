namespace Hearth.Identity;

/// <summary>What a person may do on one site. Owners do everything moderators do, and manage the site.</summary>
public enum SiteRole
{
    Moderator,
    Owner,
}

public static class RoleBadges
{
    public const string Author = "author";
    public const string Moderator = "moderator";
    public const string Staff = "staff";

    /// <summary>
    /// Every badge Hearth gives from its own roles, and the names of the roles themselves: a site cannot hand out any
    /// of them (nor one that would pass for one) through single sign-on, or its people could wear the team's marks; nor
    /// the badges earned by taking part (People.EarnedBadges), which only the person's record gives.
    /// </summary>
    public static readonly IReadOnlyList<string> Reserved = [Author, Moderator, Staff, "owner", "admin", "regular", "newcomer"];

    /// <summary>
    /// The badges Hearth itself gives on a site: the site's owner writes as its author, moderators as moderators,
    /// the instance's admins as staff.
    /// </summary>
    public static IEnumerable<string> For(SiteRole? role, bool isAdmin)
    {
        if (role == SiteRole.Owner)
        {
            yield return Author;
        }
        if (role is SiteRole.Owner or SiteRole.Moderator)
        {
            yield return Moderator;
        }
        if (isAdmin)
        {
            yield return Staff;
        }
    }

    public static bool IsReserved(string badge) => Reserved.Any(reserved => NameSkeleton.PassesFor(badge, reserved));
}
