using Hearth.Accounts;
using Hearth.Identity;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Sites;

/// <summary>Someone signed in on the console who runs the site: whether they may also change it (owners and admins).</summary>
public sealed record ConsoleMember(Site Site, long UserId, string Name, bool Manages);

/// <summary>
/// Who may open a console page of a site (signed in on the account pages): anyone on its team or an admin, and for the
/// pages that change the site, its owners and admins. Others learn nothing, not even that the site exists.
/// </summary>
public static class ConsoleAccess
{
    /// <param name="page">The page's path under the site (e.g. "settings"), to come back to after signing in.</param>
    public static async Task<(ConsoleMember? Member, IResult? Refusal)> RequireAsync(HttpContext http, string name, HearthDb db, bool owner, string page,
        CancellationToken ct)
    {
        var here = $"/account/moderate/{Uri.EscapeDataString(name)}";
        if (http.User.UserId() is not { } userId)
        {
            return (null, TypedResults.Redirect("/account/signin?returnUrl=" + Uri.EscapeDataString($"{here}/{page}")));
        }
        var user = await db.Users.Where(u => u.Id == userId).Select(u => new { u.IsAdmin, u.DisplayName }).FirstAsync(ct);
        var site = await db.Sites.FirstOrDefaultAsync(s => s.Name == name, ct);
        var role = site is null ? null : await db.SiteMembers.Where(m => m.SiteId == site.Id && m.UserId == userId).Select(m => m.Role).FirstOrDefaultAsync(ct);
        if (site is null || !(user.IsAdmin || role is not null))
        {
            return (null, Moderation.ModerationPage.NoSuchSite(http));
        }
        var manages = user.IsAdmin || role == SiteRole.Owner;
        if (owner && !manages)
        {
            return (null, Page(http, "Owners only", $"<p>Only the owners of {E(name)} may do this.</p><p><a href=\"{here}\">Back to moderating</a></p>", status: 403));
        }
        return (new ConsoleMember(site, userId, user.DisplayName, manages), null);
    }
}
