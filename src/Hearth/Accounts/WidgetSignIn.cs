using System.Text.Json;
using Hearth.Identity;
using Hearth.Sites;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Accounts;

/// <summary>
/// How the widget signs someone in when the browser keeps Hearth's cookies away from other sites' pages: it opens
/// this page in a window of its own, on Hearth's origin, where the account cookie works. Once signed in, the page
/// hands the widget an access token for that one site, by postMessage to the page's origin, and only if that
/// origin is one of the site's own.
/// </summary>
public static class WidgetSignIn
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    /// <summary>Asks first: a script on the site's page alone cannot get a token for whoever happens to be signed in.</summary>
    public static async Task<IResult> AskAsync(HttpContext http, string? site, string? origin, SiteDirectory sites, HearthDb db, CancellationToken ct)
    {
        var (found, user, refusal) = await CheckAsync(http, site, origin, sites, db, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        return Page(http, $"Comment on {origin}", $"""
            <p>Comment on <strong>{E(origin)}</strong> as <strong>{E(user!.DisplayName)}</strong>?</p>
            <form method="post" action="/account/widget">{Csrf(http)}
            <input type="hidden" name="site" value="{E(found!.Name)}"><input type="hidden" name="origin" value="{E(origin)}">
            <button type="submit">Continue</button></form>
            <p class="muted">Not you? <a href="/account">Your account</a></p>
            """);
    }

    public static async Task<IResult> GrantAsync(HttpContext http, [Microsoft.AspNetCore.Mvc.FromForm] WidgetGrantForm form, SiteDirectory sites,
        HearthDb db, TimeProvider clock, CancellationToken ct)
    {
        var (found, user, refusal) = await CheckAsync(http, form.Site, form.Origin, sites, db, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var origin = form.Origin!;
        var now = clock.GetUtcNow().UtcDateTime;
        var (session, token) = MemberSession.Start(user!.Id, found!.Id, MemberSession.Widget, now, Lifetime, AccountSessions.Device(http));
        db.MemberSessions.Add(session);
        await db.SaveChangesAsync(ct);
        var member = await db.SiteMembers.AsNoTracking().FirstOrDefaultAsync(m => m.SiteId == found.Id && m.UserId == user!.Id, ct);
        List<string> badges = [.. RoleBadges.For(member?.Role, user.IsAdmin), .. member?.Badges ?? []];
        var message = JsonSerializer.Serialize(new
        {
            hearth = "signed-in",
            accessToken = token,
            expiresAt = now + Lifetime,
            user = new { id = user.Id, name = user.DisplayName, badges },
        });
        // The data travels in an attribute (encoded) rather than inside the script, so no value can end the script early.
        return Page(http, "You are signed in", $"""
            <p id="done" data-message="{E(message)}" data-origin="{E(origin)}">You can close this window and go back to the comments on {E(origin)}.</p>
            """,
            script: """
                const p = document.getElementById("done");
                if (window.opener) { window.opener.postMessage(JSON.parse(p.dataset.message), p.dataset.origin); window.close(); }
                """);
    }

    static async Task<(Site? Site, HearthUser? User, IResult? Refusal)> CheckAsync(HttpContext http, string? site, string? origin,
        SiteDirectory sites, HearthDb db, CancellationToken ct)
    {
        if (site is null || origin is null || await sites.FindAsync(site, ct) is not { } found
            || !await sites.AllowsOriginAsync(site, origin, ct))
        {
            return (null, null, Page(http, "Sign-in not possible here", "<p>This page can only be opened from the comments of a site that uses this Hearth.</p>", status: 400));
        }
        if (http.User.UserId() is not { } userId || await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct) is not { } user)
        {
            var back = $"/account/widget?site={Uri.EscapeDataString(site)}&origin={Uri.EscapeDataString(origin)}";
            return (null, null, TypedResults.Redirect("/account/signin?returnUrl=" + Uri.EscapeDataString(back)));
        }
        return (found, user, null);
    }
}

public sealed record WidgetGrantForm(string? Site, string? Origin);
