using Hearth.Sites;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Identity;

public static class IdentityApi
{
    public static RouteGroupBuilder MapIdentity(this RouteGroupBuilder site)
    {
        site.MapPost("/sessions/sso", SignIn)
            .RequireRateLimiting(RateLimits.SignIns)
            .WithTags("Identity")
            .WithSummary("Exchange a token your site signed (HS256, see README) for an access token that posts as that person on this site.");
        site.MapDelete("/sessions/current", SignOut)
            .WithTags("Identity")
            .WithSummary("Sign out: the access token in Authorization: Bearer stops working.");
        return site;
    }

    static async Task<Results<NoContent, ProblemHttpResult>> SignOut(HttpContext http, HearthDb db, CancellationToken ct)
    {
        var (member, refusal) = await http.MemberAsync(ct);
        if (member is null)
        {
            return refusal ?? Problems.Of(StatusCodes.Status401Unauthorized, "access_token_invalid", "Send the access token to sign out as Authorization: Bearer <token>.");
        }
        await db.MemberSessions.Where(s => s.Id == member.SessionId).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }

    static Task<Results<Ok<SsoSessionResponse>, ValidationProblem, ProblemHttpResult>> SignIn(
        HttpContext http, SsoSignInRequest request, SignInWithSso flow, CancellationToken ct) =>
        // Enough of the User-Agent to tell sessions apart ("Safari on iPhone"), and no more.
        flow.RunAsync(http.Site(), request, BrowserNames.Describe(http.Request.Headers.UserAgent.ToString()), ct);
}
