namespace Hearth.Sites;

public sealed record SiteResponse(long Id, string Name, IReadOnlyList<string> Origins, string Moderation, DateTime CreatedAt);

public static class SiteMapping
{
    public static SiteResponse ToResponse(this Site site) =>
        new(site.Id, site.Name, site.Origins, site.Moderation.ToString().ToLowerInvariant(), site.CreatedAt);
}

/// <summary>What hearth sites sso prints: the secret the site signs its single sign-on tokens with.</summary>
public sealed record SiteSsoResponse(string Site, string SsoSecret);
