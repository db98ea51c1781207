using Hearth.Identity;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Sites;

public sealed record SiteSettingsResponse(string Name, IReadOnlyList<string> Origins, string Moderation, bool ListOnProfiles, bool SingleSignOn);

public sealed record SiteSettingsRequest(List<string>? Origins, string? Moderation, bool? ListOnProfiles);

public sealed record TeamMemberResponse(long UserId, string Name, string Role);

/// <summary>A site's settings and team, for the people who run it.</summary>
public static class SiteSettingsApi
{
    public static RouteGroupBuilder MapSiteSettings(this RouteGroupBuilder site)
    {
        site.MapGet("/settings", Read).WithTags("Site administration").WithSummary("The site's settings (moderators and owners).");
        site.MapPatch("/settings", Change).WithTags("Site administration").WithSummary("Change origins, moderation mode or profile listing (owners).");
        site.MapGet("/team", Team).WithTags("Site administration").WithSummary("The site's owners and moderators (moderators and owners).");
        return site;
    }

    static async Task<Results<Ok<SiteSettingsResponse>, ProblemHttpResult>> Read(HttpContext http, HearthDb db, CancellationToken ct)
    {
        if ((await SiteAccess.RequireAsync(http, SiteRole.Moderator, ct)).Refusal is { } refusal)
        {
            return refusal;
        }
        var site = await db.Sites.AsNoTracking().FirstAsync(s => s.Id == http.Site().Id, ct);
        return TypedResults.Ok(Settings(site));
    }

    static async Task<Results<Ok<SiteSettingsResponse>, ValidationProblem, ProblemHttpResult>> Change(
        HttpContext http, SiteSettingsRequest request, HearthDb db, SiteDirectory sites, CancellationToken ct)
    {
        if ((await SiteAccess.RequireAsync(http, SiteRole.Owner, ct)).Refusal is { } refusal)
        {
            return refusal;
        }
        var site = await db.Sites.FirstAsync(s => s.Id == http.Site().Id, ct);
        if (request.Origins is { } origins)
        {
            var clean = new List<string>();
            foreach (var origin in origins)
            {
                if (!SiteOrigin.TryNormalize(origin, out var normalized))
                {
                    return Problems.Invalid("origins", $"'{origin}' is not an origin: give scheme, host and optional port, e.g. https://blog.example.");
                }
                if (!clean.Contains(normalized))
                {
                    clean.Add(normalized);
                }
            }
            if (clean.Count == 0)
            {
                return Problems.Invalid("origins", "A site needs at least one origin.");
            }
            site.Origins = clean;
        }
        if (request.Moderation is { } mode)
        {
            if (mode is not ("pre" or "post"))
            {
                return Problems.Invalid("moderation", "moderation must be pre or post.");
            }
            site.Moderation = mode == "pre" ? ModerationMode.Pre : ModerationMode.Post;
        }
        if (request.ListOnProfiles is { } list)
        {
            site.ListOnProfiles = list;
        }
        await db.SaveChangesAsync(ct);
        sites.Forget(site.Name);
        return TypedResults.Ok(Settings(site));
    }

    static async Task<Results<Ok<List<TeamMemberResponse>>, ProblemHttpResult>> Team(HttpContext http, HearthDb db, CancellationToken ct)
    {
        if ((await SiteAccess.RequireAsync(http, SiteRole.Moderator, ct)).Refusal is { } refusal)
        {
            return refusal;
        }
        var siteId = http.Site().Id;
        var team = await db.SiteMembers.AsNoTracking()
            .Where(m => m.SiteId == siteId && m.Role != null)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Id, u.DisplayName, m.Role })
            .OrderBy(x => x.DisplayName)
            .ToListAsync(ct);
        return TypedResults.Ok(team.Select(x => new TeamMemberResponse(x.Id, x.DisplayName, x.Role!.Value.ToString().ToLowerInvariant())).ToList());
    }

    static SiteSettingsResponse Settings(Site site) =>
        new(site.Name, site.Origins, site.Moderation.ToString().ToLowerInvariant(), site.ListOnProfiles, site.SsoSecret is not null);
}
