using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Identity;

/// <summary>
/// Who may run a site: its moderators, its owners (who may do all a moderator may, and change the site), and the
/// instance's admins. Every endpoint that acts on a site asks here first; a refusal names no one and shows nothing.
/// </summary>
public static class SiteAccess
{
    public static async Task<(Member? Member, ProblemHttpResult? Refusal)> RequireAsync(HttpContext http, SiteRole least, CancellationToken ct)
    {
        var (member, refusal) = await http.MemberAsync(ct);
        if (refusal is not null)
        {
            return (null, refusal);
        }
        if (member is null)
        {
            return (null, Problems.Of(StatusCodes.Status401Unauthorized, "sign_in_required",
                "Sign in as an owner or moderator of this site (Authorization: Bearer <accessToken>)."));
        }
        if (!MemberSession.RunsSites(member.Kind))
        {
            // A comment widget's token lives in the host page's storage, where any script of that page can read it:
            // it writes comments, it does not run the site.
            return (null, Problems.Of(StatusCodes.Status403Forbidden, "api_token_required",
                "Running a site takes an API token from your account page (/account/tokens); a sign-in from the comments cannot do it."));
        }
        if (least == SiteRole.Owner && member.Kind == MemberSession.ModerationPage)
        {
            // The moderation page never changes a site; its session, held in a page's script, cannot either.
            return (null, Problems.Of(StatusCodes.Status403Forbidden, "api_token_required",
                "Changing a site takes an API token from your account page (/account/tokens)."));
        }
        if (member.IsAdmin || member.Role >= least)
        {
            return (member, null);
        }
        return (null, Problems.Of(StatusCodes.Status403Forbidden, "forbidden",
            least == SiteRole.Owner ? "Only the site's owners may do this." : "Only the site's moderators and owners may do this."));
    }
}
