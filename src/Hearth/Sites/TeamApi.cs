using Hearth.Identity;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Sites;

public sealed record TeamInviteRequest(string? Email, string? Role);

public sealed record TeamRoleRequest(string? Role);

/// <summary>An invitation waiting to be accepted. Its link goes only to the invited address, never through the API.</summary>
public sealed record TeamInviteResponse(long Id, string Email, string Role, DateTime CreatedAt, DateTime ExpiresAt);

/// <summary>The team's changes through the API, for owners and admins, with the rules of <see cref="TeamChanges"/>.</summary>
public static class TeamApi
{
    public static RouteGroupBuilder MapTeam(this RouteGroupBuilder site)
    {
        site.MapPut("/team/{userId:long}", ChangeAsync).WithTags("Site administration")
            .WithSummary("Make someone on the team an owner or a moderator (owners); a site keeps at least one owner.");
        site.MapDelete("/team/{userId:long}", RemoveAsync).WithTags("Site administration")
            .WithSummary("Take someone off the team (owners); a site keeps at least one owner.");
        site.MapGet("/team/invites", InvitesAsync).WithTags("Site administration").WithSummary("Invitations not yet accepted (owners).");
        site.MapPost("/team/invites", InviteAsync).WithTags("Site administration").RequireRateLimiting(RateLimits.AccountActions)
            .WithSummary("Invite an e-mail address to the team as owner or moderator (owners): the link goes to that address, and works for the account confirmed with it.");
        site.MapDelete("/team/invites/{id:long}", WithdrawAsync).WithTags("Site administration").WithSummary("Take an invitation back (owners).");
        return site;
    }

    static async Task<(Site? Site, TeamActor? Actor, ProblemHttpResult? Refusal)> OwnerAsync(HttpContext http, HearthDb db, CancellationToken ct)
    {
        var (owner, refusal) = await SiteAccess.RequireAsync(http, SiteRole.Owner, ct);
        if (refusal is not null)
        {
            return (null, null, refusal);
        }
        var site = await db.Sites.AsNoTracking().FirstAsync(s => s.Id == http.Site().Id, ct);
        return (site, new TeamActor(owner!.UserId, owner.Name), null);
    }

    static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangeAsync(HttpContext http, long userId, TeamRoleRequest request,
        HearthDb db, TeamChanges team, CancellationToken ct)
    {
        var (site, actor, refusal) = await OwnerAsync(http, db, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        if (TeamChanges.ParseRole(request.Role) is not { } role)
        {
            return Problems.Invalid("role", "choose moderator or owner.");
        }
        return Answer(await team.ChangeAsync(site!, actor!, userId, role, ct));
    }

    static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RemoveAsync(HttpContext http, long userId, HearthDb db, TeamChanges team,
        CancellationToken ct)
    {
        var (site, actor, refusal) = await OwnerAsync(http, db, ct);
        return refusal ?? Answer(await team.ChangeAsync(site!, actor!, userId, null, ct));
    }

    static async Task<Results<Ok<List<TeamInviteResponse>>, ProblemHttpResult>> InvitesAsync(HttpContext http, HearthDb db, TimeProvider clock,
        CancellationToken ct)
    {
        var (site, _, refusal) = await OwnerAsync(http, db, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        return TypedResults.Ok(await PendingAsync(db, site!.Id, clock, ct));
    }

    public static async Task<List<TeamInviteResponse>> PendingAsync(HearthDb db, long siteId, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var invites = await db.TeamInvites.AsNoTracking().Where(i => i.SiteId == siteId && i.ExpiresAt > now)
            .OrderByDescending(i => i.CreatedAt).Take(200).ToListAsync(ct);
        return [.. invites.Select(i => new TeamInviteResponse(i.Id, i.Email, TeamChanges.Name(i.Role), i.CreatedAt, i.ExpiresAt))];
    }

    static async Task<Results<Created<TeamInviteResponse>, ValidationProblem, ProblemHttpResult>> InviteAsync(HttpContext http, TeamInviteRequest request,
        HearthDb db, TeamChanges team, CancellationToken ct)
    {
        var (site, actor, refusal) = await OwnerAsync(http, db, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var (invite, problem) = await team.InviteAsync(site!, actor!, request.Email, request.Role, ct);
        if (problem is not null)
        {
            return problem.Status == 400 ? Problems.Invalid(problem.Field, problem.Message) : Problems.Of(problem.Status, problem.Code, problem.Message);
        }
        return TypedResults.Created($"/api/v1/sites/{Uri.EscapeDataString(site!.Name)}/team/invites/{invite!.Id}",
            new TeamInviteResponse(invite.Id, invite.Email, TeamChanges.Name(invite.Role), invite.CreatedAt, invite.ExpiresAt));
    }

    static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> WithdrawAsync(HttpContext http, long id, HearthDb db, TeamChanges team,
        CancellationToken ct)
    {
        var (site, actor, refusal) = await OwnerAsync(http, db, ct);
        return refusal ?? Answer(await team.CancelInviteAsync(site!, actor!, id, ct));
    }

    static Results<NoContent, ValidationProblem, ProblemHttpResult> Answer(TeamRefusal? refusal) => refusal switch
    {
        null => TypedResults.NoContent(),
        { Status: 400 } => Problems.Invalid(refusal.Field, refusal.Message),
        _ => Problems.Of(refusal.Status, refusal.Code, refusal.Message),
    };
}
