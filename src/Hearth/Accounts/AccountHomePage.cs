using System.Globalization;
using System.Text;
using Hearth.Identity;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.EntityFrameworkCore;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Accounts;

/// <summary>The signed-in person's own page: who they are here, and every place they are signed in, each of which they can end.</summary>
public static class AccountHomePage
{
    public static async Task<IResult> ShowAsync(HttpContext http, HearthDb db, Microsoft.AspNetCore.Identity.UserManager<HearthUser> users, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId || await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct) is not { } user)
        {
            return TypedResults.Redirect("/account/signin");
        }
        var current = await AccountSessions.CurrentAsync(http);
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var sessions = await db.MemberSessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.ExpiresAt > now)
            .OrderByDescending(s => s.CreatedAt)
            .Select(s => new { s.Id, s.Kind, s.Device, s.CreatedAt, s.ExpiresAt, Site = db.Sites.Where(x => x.Id == s.SiteId).Select(x => x.Name).FirstOrDefault() })
            .ToListAsync(ct);
        var rows = new StringBuilder();
        foreach (var s in sessions)
        {
            var where = s.Kind switch
            {
                AccountSessions.Kind => "these account pages",
                MemberSession.SingleSignOn => $"comments on {s.Site} (signed in by the site)",
                MemberSession.Api => $"API token for {s.Site}",
                MemberSession.ModerationPage => $"moderation page of {s.Site}",
                _ => $"comments on {s.Site}",
            };
            var action = s.Id == current
                ? "<span class=\"muted\">this browser</span>"
                : $"""<form method="post" action="/account/sessions/{s.Id}/end">{Csrf(http)}<button class="quiet" type="submit">Sign out</button></form>""";
            rows.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(where)}<br><span class=\"muted\">{E(BrowserNames.Show(s.Device))}</span></td>" +
                $"<td><time datetime=\"{s.CreatedAt:O}\">{s.CreatedAt:yyyy-MM-dd HH:mm} UTC</time></td><td>{action}</td></tr>");
        }
        var passkeys = await Passkeys.SectionAsync(http, users, user);
        var sites = await ApiTokens.SitesAsync(db, userId, ct);
        // The home page cannot see the account cookie (it stays under /account), so the sites a person runs are listed here.
        var mySites = sites.Count == 0 ? "" : "<h2>Your sites</h2><ul class=\"sites\">"
            + string.Concat(sites.Select(site => $"<li><a href=\"/account/moderate/{Uri.EscapeDataString(site)}\">Moderate {E(site)}</a> · <a href=\"/account/moderate/{Uri.EscapeDataString(site)}/dashboard\">its dashboard</a></li>"))
            + "</ul><p><a href=\"/account/sites\">All your sites</a>: snippets, whether the widget loads, adding a site</p>";
        return Page(http, user.DisplayName, $"""
            <p>Signed in as <strong>{E(user.Email)}</strong>. <a href="/account/profile">Edit your profile</a> · <a href="/account/communities">the communities it shows</a> · <a href="/people/{user.Id}">your public page</a></p>
            {mySites}
            <h2>Where you are signed in</h2>
            <table><thead><tr><th>Session</th><th>Since</th><th><span class="muted">End it</span></th></tr></thead><tbody>{rows}</tbody></table>
            <form method="post" action="/account/signout">{Csrf(http)}<button type="submit">Sign out</button></form>
            {passkeys}
            <h2>Your data</h2>
            <p><a href="/account/inbox">Your inbox</a>: replies to you from every site.</p>
            <p><a href="/account/people">People you follow</a>: whom you follow or muted, on every site.</p>
            <p><a href="/account/claim">Claim comments you wrote as a guest</a> · <a href="/account/moderate">Moderate the sites you run</a> · <a href="/account/tokens">API tokens for them</a></p>
            <p><a href="/account/data">Download everything Hearth holds about you</a> (JSON) · <a href="/account/delete">Delete your account</a></p>
            """, script: Passkeys.AddScript);
    }

    public static async Task<IResult> EndSessionAsync(HttpContext http, long id, HearthDb db, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin");
        }
        // Only one's own sessions: someone else's id simply matches nothing.
        var ended = await db.MemberSessions.Where(s => s.Id == id && s.UserId == userId).ExecuteDeleteAsync(ct);
        if (ended > 0)
        {
            // A moderation page may have been opened from the browser just signed out (a lost laptop): end them all;
            // the pages still open elsewhere start a new one when reloaded.
            await db.MemberSessions.Where(s => s.UserId == userId && s.Kind == MemberSession.ModerationPage).ExecuteDeleteAsync(ct);
        }
        return TypedResults.Redirect("/account");
    }
}
