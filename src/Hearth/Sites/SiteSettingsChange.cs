using Hearth.Moderation;

namespace Hearth.Sites;

/// <summary>Changing a site's settings, checked field by field: the same rules from the API and the command line.</summary>
public static class SiteSettingsChange
{
    public const int MaxLinksLimit = 50;
    public const int WelcomeMessageLimit = 1000;

    /// <summary>Applies the fields that are present; on the first bad one returns it and changes nothing.</summary>
    public static (string Field, string Message)? Apply(Site site, SiteSettingsRequest request)
    {
        var origins = new List<string>();
        foreach (var origin in request.Origins ?? [])
        {
            if (!SiteOrigin.TryNormalize(origin, out var normalized))
            {
                return ("origins", $"'{origin}' is not an origin: give scheme, host and optional port, e.g. https://blog.example.");
            }
            if (!origins.Contains(normalized))
            {
                origins.Add(normalized);
            }
        }
        if (request.Origins is not null && origins.Count == 0)
        {
            return ("origins", "A site needs at least one origin.");
        }
        ModerationMode? mode = request.Moderation switch
        {
            null => null,
            "post" => ModerationMode.Post,
            "pre" => ModerationMode.Pre,
            "first" => ModerationMode.First,
            _ => (ModerationMode)(-1),
        };
        if (mode is (ModerationMode)(-1))
        {
            return ("moderation", "moderation must be post, pre or first.");
        }
        if (request.MaxLinks is < -1 or > MaxLinksLimit)
        {
            return ("maxLinks", $"maxLinks must be between 0 and {MaxLinksLimit}, or -1 for no limit.");
        }
        if (request.ReportThreshold is < 1 or > 100)
        {
            return ("reportThreshold", "reportThreshold must be between 1 and 100.");
        }
        if (request.WelcomeMessage is { } welcome && (welcome.Trim().Length > WelcomeMessageLimit || welcome.Any(c => char.IsControl(c) && c is not ('\n' or '\r'))))
        {
            return ("welcomeMessage", $"welcomeMessage must be plain text of at most {WelcomeMessageLimit} characters (\"\" sends no welcome).");
        }
        if (request.CloseAfterDays is < 0 or > 36500)
        {
            return ("closeAfterDays", "closeAfterDays must be between 0 (never close) and 36500.");
        }

        if (request.Origins is not null)
        {
            site.Origins = origins;
        }
        site.Moderation = mode ?? site.Moderation;
        site.ListOnProfiles = request.ListOnProfiles ?? site.ListOnProfiles;
        site.RequireSignIn = request.RequireSignIn ?? site.RequireSignIn;
        site.CommunityPage = request.CommunityPage ?? site.CommunityPage;
        site.ListOnExplore = request.ListOnExplore ?? site.ListOnExplore;
        if (request.MaxLinks is { } maxLinks)
        {
            site.MaxLinks = maxLinks < 0 ? null : maxLinks;
        }
        if (request.BannedWords is { } banned)
        {
            site.BannedWords = WordList.Parse(banned);
        }
        if (request.SuspectWords is { } suspect)
        {
            site.SuspectWords = WordList.Parse(suspect);
        }
        site.ReportThreshold = request.ReportThreshold ?? site.ReportThreshold;
        if (request.WelcomeMessage is { } message)
        {
            site.WelcomeMessage = message.Trim().Replace("\r", "", StringComparison.Ordinal) is { Length: > 0 } words ? words : null;
        }
        if (request.CloseAfterDays is { } days)
        {
            site.CloseAfterDays = days == 0 ? null : days;
        }
        return null;
    }

    /// <summary>The audit entry of a change: the settings before and after, as JSON.</summary>
    public static AuditEntry Audit(Site site, SiteSettingsResponse before, long? actorId, string actorName, TimeProvider clock) => new()
    {
        SiteId = site.Id,
        ActorUserId = actorId,
        ActorName = actorName,
        Action = "settings",
        Target = $"site {site.Name}",
        Before = System.Text.Json.JsonSerializer.Serialize(before, Conversations.HearthJson.Default.SiteSettingsResponse),
        After = System.Text.Json.JsonSerializer.Serialize(site.ToSettingsResponse(), Conversations.HearthJson.Default.SiteSettingsResponse),
        At = clock.GetUtcNow().UtcDateTime,
    };

    public static SiteSettingsResponse ToSettingsResponse(this Site site) => new(
        site.Name, site.Origins, site.Moderation.ToString().ToLowerInvariant(), site.ListOnProfiles, site.SsoSecret is not null,
        site.RequireSignIn, site.MaxLinks, site.BannedWords, site.SuspectWords, site.CloseAfterDays, site.ReportThreshold)
    {
        WelcomeMessage = site.WelcomeMessage,
        CommunityPage = site.CommunityPage,
        ListOnExplore = site.ListOnExplore,
    };
}
