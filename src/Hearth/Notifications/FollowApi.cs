using Hearth.Conversations;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Notifications;

/// <summary>{ url, identifier?, state: "following" | "muted" | "none" }.</summary>
public sealed record FollowRequest(string? Url, string? Identifier, string? State);

public sealed record FollowResponse(string State);

/// <summary>Following or muting the conversation on a page, for the person signed in.</summary>
public static class FollowApi
{
    public static RouteGroupBuilder MapFollow(this RouteGroupBuilder site)
    {
        var follow = site.MapGroup("/follow").WithTags("Inbox");
        follow.MapGet("", Read).WithSummary("Whether the signed-in person follows (following), muted (muted) or neither (none) the page's conversation: url, identifier.");
        follow.MapPut("", Change).RequireRateLimiting(RateLimits.AccountActions)
            .WithSummary("Follow, mute or leave the page's conversation: { url, identifier?, state: following | muted | none }.");
        return site;
    }

    static async Task<Results<Ok<FollowResponse>, ValidationProblem, ProblemHttpResult>> Read(HttpContext http, HearthDb db, string? url, string? identifier,
        CancellationToken ct)
    {
        var (member, refusal) = await InboxApi.SignedInAsync(http, ct);
        if (member is null)
        {
            return refusal!;
        }
        var site = http.Site();
        var (address, field, error) = CommentInput.ReadAddress(url, identifier, site.Origins);
        if (address is not { } found)
        {
            return Problems.Invalid(field!, error!);
        }
        var thread = await db.Threads.AsNoTracking().FirstOrDefaultAsync(t => t.SiteId == site.Id && t.Key == found.Key, ct);
        var state = thread is null ? null : await Follows.StateAsync(db, member.UserId, thread.Id, ct);
        return TypedResults.Ok(new FollowResponse(state ?? "none"));
    }

    static async Task<Results<Ok<FollowResponse>, ValidationProblem, ProblemHttpResult>> Change(HttpContext http, HearthDb db, TimeProvider clock,
        FollowRequest? request, CancellationToken ct)
    {
        var (member, refusal) = await InboxApi.SignedInAsync(http, ct);
        if (member is null)
        {
            return refusal!;
        }
        if (request?.State is not (Follow.Following or Follow.Muted or "none"))
        {
            return Problems.Invalid("state", "state must be following, muted or none.");
        }
        var site = http.Site();
        var (address, field, error) = CommentInput.ReadAddress(request.Url, request.Identifier, site.Origins);
        if (address is not { } found)
        {
            return Problems.Invalid(field!, error!);
        }
        // Only conversations that exist: following a page nobody has commented on yet makes nothing.
        var thread = await db.Threads.AsNoTracking().FirstOrDefaultAsync(t => t.SiteId == site.Id && t.Key == found.Key, ct);
        if (thread is null)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "thread_not_found", "There is no conversation on this page yet.");
        }
        var state = request.State == "none" ? null : request.State;
        await Follows.SetAsync(db, member.UserId, thread, state, clock.GetUtcNow().UtcDateTime, ct);
        return TypedResults.Ok(new FollowResponse(request.State));
    }
}
