using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Notifications;

/// <summary>{ state: "following" | "muted" | "none" }.</summary>
public sealed record PersonFollowRequest(string? State);

public sealed record PersonFollowResponse(string State);

/// <summary>The signed-in person's follows and mutes on the site; <see cref="Me"/> is their own key here, whom they cannot follow.</summary>
public sealed record PersonFollowsResponse(string? Me, IReadOnlyList<PersonFollowItem> People);

/// <summary>
/// Following or muting a person of the site (by the key their comments carry as author.key), for the person signed in
/// and for themselves only: there is no way to name or read another account's choices.
/// </summary>
public static class PersonFollowApi
{
    public static RouteGroupBuilder MapPersonFollows(this RouteGroupBuilder site)
    {
        var one = site.MapGroup("/people/{key}/follow").WithTags("Inbox");
        one.MapGet("", Read).WithSummary("Whether the signed-in person follows (following), muted (muted) or neither (none) the site's person with this key (a comment's author.key).");
        one.MapPut("", Change).RequireRateLimiting(RateLimits.AccountActions)
            .WithSummary("Follow or mute a person of the site: { state: following | muted | none }. Their new public comments here reach the inbox as followed-person; a muted person's never notify.");
        one.MapDelete("", Stop).RequireRateLimiting(RateLimits.AccountActions).WithSummary("Neither follow nor mute the person any more.");
        site.MapGet("/person-follows", List).WithTags("Inbox")
            .WithSummary($"The people the signed-in person follows or muted on this site (state=following|muted), newest first, at most {PersonFollows.MaxPerSite}, and their own key (me).");
        return site;
    }

    static async Task<Results<Ok<PersonFollowResponse>, ValidationProblem, ProblemHttpResult>> Read(HttpContext http, HearthDb db, string key, CancellationToken ct)
    {
        var (member, refusal) = await InboxApi.SignedInAsync(http, ct);
        if (member is null)
        {
            return refusal!;
        }
        var (person, problem) = await FindAsync(http, db, key, member.UserId, ct);
        if (person is null)
        {
            return problem!;
        }
        return TypedResults.Ok(new PersonFollowResponse(await PersonFollows.StateAsync(db, member.UserId, person.Id, ct) ?? "none"));
    }

    static async Task<Results<Ok<PersonFollowResponse>, ValidationProblem, ProblemHttpResult>> Change(HttpContext http, HearthDb db, TimeProvider clock,
        string key, PersonFollowRequest? request, CancellationToken ct)
    {
        var (member, refusal) = await InboxApi.SignedInAsync(http, ct);
        if (member is null)
        {
            return refusal!;
        }
        if (request?.State is not (PersonFollow.Following or PersonFollow.Muted or "none"))
        {
            return Problems.Invalid("state", "state must be following, muted or none.");
        }
        var (person, problem) = await FindAsync(http, db, key, member.UserId, ct);
        if (person is null)
        {
            return problem!;
        }
        if (!await PersonFollows.SetAsync(db, member.UserId, person, request.State == "none" ? null : request.State, clock.GetUtcNow().UtcDateTime, ct))
        {
            return TooMany();
        }
        return TypedResults.Ok(new PersonFollowResponse(request.State));
    }

    static async Task<Results<Ok<PersonFollowResponse>, ValidationProblem, ProblemHttpResult>> Stop(HttpContext http, HearthDb db, TimeProvider clock,
        string key, CancellationToken ct)
    {
        var (member, refusal) = await InboxApi.SignedInAsync(http, ct);
        if (member is null)
        {
            return refusal!;
        }
        var (person, problem) = await FindAsync(http, db, key, member.UserId, ct);
        if (person is null)
        {
            return problem!;
        }
        await PersonFollows.SetAsync(db, member.UserId, person, null, clock.GetUtcNow().UtcDateTime, ct);
        return TypedResults.Ok(new PersonFollowResponse("none"));
    }

    static async Task<Results<Ok<PersonFollowsResponse>, ValidationProblem, ProblemHttpResult>> List(HttpContext http, HearthDb db, InstanceKey keys,
        string? state, CancellationToken ct)
    {
        var (member, refusal) = await InboxApi.SignedInAsync(http, ct);
        if (member is null)
        {
            return refusal!;
        }
        if (state is not (null or PersonFollow.Following or PersonFollow.Muted))
        {
            return Problems.Invalid("state", "state must be following or muted.");
        }
        var siteId = http.Site().Id;
        var me = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(
            db.People.Where(p => p.SiteId == siteId && p.UserId == member.UserId && p.MergedIntoId == null).Select(p => p.Key), ct);
        return TypedResults.Ok(new PersonFollowsResponse(me ?? keys.Hash("author", "member\n" + member.UserId),
            await PersonFollows.ListAsync(db, member.UserId, siteId, state, ct)));
    }

    /// <summary>The person, or why not: unknown (404), a guest or the asker (400), never saying more of them.</summary>
    static async Task<(People.Person? Person, ProblemHttpResult? Problem)> FindAsync(HttpContext http, HearthDb db, string key, long userId, CancellationToken ct)
    {
        var (person, why) = await PersonFollows.FindAsync(db, http.Site().Id, key, userId, ct);
        return why switch
        {
            PersonFollows.Refusal.None => (person, null),
            PersonFollows.Refusal.Guest => (null, Problems.Of(StatusCodes.Status400BadRequest, "person_not_followable",
                "Only people with an account or the site's sign-in can be followed or muted, not guests.")),
            PersonFollows.Refusal.Self => (null, Problems.Of(StatusCodes.Status400BadRequest, "cannot_follow_self", "You cannot follow or mute yourself.")),
            _ => (null, Problems.Of(StatusCodes.Status404NotFound, "person_not_found", "There is no such person on this site.")),
        };
    }

    static ProblemHttpResult TooMany() => Problems.Of(StatusCodes.Status409Conflict, "too_many_people",
        $"You follow or muted {PersonFollows.MaxPerSite} people on this site already: stop following or unmute someone first.");
}
