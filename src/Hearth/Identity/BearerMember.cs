using Hearth.Sites;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Identity;

public static class BearerMember
{
    /// <summary>
    /// The member a request speaks for (Authorization: Bearer), or null for a guest. A token that is sent but not
    /// good is refused outright rather than quietly treated as a guest: the person believes they are signed in.
    /// </summary>
    public static async Task<(Member? Member, ProblemHttpResult? Refusal)> MemberAsync(this HttpContext http, CancellationToken ct)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return (null, null);
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (null, NotSignedIn("Send the access token as Authorization: Bearer <token>."));
        }
        var tokens = http.RequestServices.GetRequiredService<SessionTokens>();
        var (member, refusal) = await tokens.ResolveAsync(header["Bearer ".Length..].Trim(), http.Site().Id, ct);
        return member is null ? (null, NotSignedIn(refusal!)) : (member, null);
    }

    static ProblemHttpResult NotSignedIn(string detail)
    {
        return Problems.Of(StatusCodes.Status401Unauthorized, "access_token_invalid", detail);
    }
}
