namespace Hearth.Identity;

/// <summary>What a person may do on one site. Owners do everything moderators do, and manage the site.</summary>
public enum SiteRole
{
    Moderator,
    Owner,
}

public static class RoleBadges
{
    /// <summary>
    /// The badges Hearth itself gives on a site: the site's owner writes as its author, moderators as moderators,
    /// the instance's admins as staff. Sites cannot hand these out through single sign-on.
    /// </summary>
    public static IEnumerable<string> For(SiteRole? role, bool isAdmin)
    {
        if (role == SiteRole.Owner)
        {
            yield return "author";
        }
        if (role is SiteRole.Owner or SiteRole.Moderator)
        {
            yield return "moderator";
        }
        if (isAdmin)
        {
            yield return "staff";
        }
    }
}
