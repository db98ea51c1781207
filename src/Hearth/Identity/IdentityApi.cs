using Hearth.Sites;
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
        return site;
    }

    static Task<Results<Ok<SsoSessionResponse>, ValidationProblem, ProblemHttpResult>> SignIn(
        HttpContext http, SsoSignInRequest request, SignInWithSso flow, CancellationToken ct) =>
        flow.RunAsync(http.Site(), request, Device(http.Request.Headers.UserAgent.ToString()), ct);

    /// <summary>Enough of the User-Agent to tell sessions apart, and no more.</summary>
    static string? Device(string userAgent) => userAgent.Length == 0 ? null : userAgent.Length <= 120 ? userAgent : userAgent[..120];
}
