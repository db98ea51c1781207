using Hearth.Identity;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Sites;

public sealed record SiteSettingsResponse(
    string Name,
    IReadOnlyList<string> Origins,
    string Moderation,
    bool ListOnProfiles,
    bool SingleSignOn,
    bool RequireSignIn,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] int? MaxLinks,
    IReadOnlyList<string> BannedWords,
    IReadOnlyList<string> SuspectWords,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] int? CloseAfterDays,
    int ReportThreshold)
{
    /// <summary>The welcome sent to first-time commenters with an account; absent when none is sent.</summary>
    public string? WelcomeMessage { get; init; }

    /// <summary>Whether the public community page is on (off by default).</summary>
    public bool CommunityPage { get; init; }

    /// <summary>Whether the site's liveliest conversations appear on Explore (off by default).</summary>
    public bool ListOnExplore { get; init; }
}

/// <summary>Only the fields present change. closeAfterDays 0 means: never close; maxLinks -1: no limit; welcomeMessage "": send none.</summary>
public sealed record SiteSettingsRequest(
    List<string>? Origins,
    string? Moderation,
    bool? ListOnProfiles,
    bool? RequireSignIn,
    int? MaxLinks,
    List<string>? BannedWords,
    List<string>? SuspectWords,
    int? CloseAfterDays,
    int? ReportThreshold = null,
    string? WelcomeMessage = null,
    bool? CommunityPage = null,
    bool? ListOnExplore = null);

public sealed record TeamMemberResponse(long UserId, string Name, string Role);

/// <summary>A site's settings and team, for the people who run it.</summary>
public static class SiteSettingsApi
{
    public static RouteGroupBuilder MapSiteSettings(this RouteGroupBuilder site)
    {
        site.MapGet("/settings", Read).WithTags("Site administration").WithSummary("The site's settings (moderators and owners).");
        // Each change is kept in the audit log with the settings before and after it (word lists included): counted, so
        // no script can fill the log without end.
        site.MapPatch("/settings", Change).RequireRateLimiting(RateLimits.AccountActions).WithTags("Site administration").WithSummary("Change origins, moderation mode, profile listing, the community page or Explore listing (owners).");
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
        var (owner, refusal) = await SiteAccess.RequireAsync(http, SiteRole.Owner, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var site = await db.Sites.FirstAsync(s => s.Id == http.Site().Id, ct);
        var before = site.ToSettingsResponse();
        if (SiteSettingsChange.Apply(site, request) is { } problem)
        {
            return Problems.Invalid(problem.Field, problem.Message);
        }
        db.AuditLog.Add(SiteSettingsChange.Audit(site, before, owner!.UserId, owner.Name, http.RequestServices.GetRequiredService<TimeProvider>()));
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

    static SiteSettingsResponse Settings(Site site) => site.ToSettingsResponse();
}
