using System.Text;
using Hearth.Accounts;
using Hearth.Identity;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Moderation;

/// <summary>
/// The moderators' workplace on Hearth's own origin. The page is a shell; its script works through the same
/// moderators' API as any integration, with a short session of its own made when the page opens, so there is one
/// set of rules (and one access check) for both. The account cookie never leaves /account.
/// </summary>
public static class ModerationPage
{
    static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    /// <summary>Open pages (tabs, devices) one person may have at once; opening another ends the oldest.</summary>
    const int MaxOpen = 5;

    public static void MapModerationPage(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/account/moderate").ExcludeFromDescription();
        pages.MapGet("", ChooseAsync);
        pages.MapGet("/{site}", OpenAsync);
    }

    static async Task<IResult> ChooseAsync(HttpContext http, HearthDb db, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin?returnUrl=%2Faccount%2Fmoderate");
        }
        var sites = await ApiTokens.SitesAsync(db, userId, ct);
        var list = sites.Count == 0
            ? "<p class=\"muted\">You moderate no site here. A site's owner can make you a moderator.</p>"
            : "<ul>" + string.Concat(sites.Select(s => $"<li><a href=\"/account/moderate/{Uri.EscapeDataString(s)}\">{E(s)}</a></li>")) + "</ul>";
        return Page(http, "Moderate", list + "<p class=\"muted\"><a href=\"/account\">Back to your account</a></p>");
    }

    static async Task<IResult> OpenAsync(HttpContext http, string site, HearthDb db, TimeProvider clock, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin?returnUrl=" + Uri.EscapeDataString("/account/moderate/" + site));
        }
        // Someone else's site and a site that does not exist look the same.
        if (!(await ApiTokens.SitesAsync(db, userId, ct)).Contains(site))
        {
            return NoSuchSite(http);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).FirstAsync(ct);
        var (session, token) = MemberSession.Start(userId, siteId, MemberSession.ModerationPage, now, Lifetime, AccountSessions.Device(http));
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            db.MemberSessions.Add(session);
            await db.SaveChangesAsync(ct);
            // A session that can decide on the site's comments is a key to the site: the log says who opened one, and when.
            await ApiTokens.AuditAsync(db, userId, siteId, "moderation-session", session, $"until {session.ExpiresAt:yyyy-MM-dd HH:mm} UTC", now, ct);
            await transaction.CommitAsync(ct);
        }
        var older = await db.MemberSessions
            .Where(s => s.UserId == userId && s.Kind == MemberSession.ModerationPage)
            .OrderByDescending(s => s.Id).Skip(MaxOpen).Select(s => s.Id).ToListAsync(ct);
        await db.MemberSessions.Where(s => older.Contains(s.Id)).ExecuteDeleteAsync(ct);
        return Shell(http, site, token);
    }

    /// <summary>What someone sees of a site they do not run, the same whether or not it exists.</summary>
    public static IResult NoSuchSite(HttpContext http) =>
        Page(http, "Not found", "<p>You moderate no site by that name.</p><p><a href=\"/account/moderate\">Your sites</a></p>", status: 404);

    static IResult Shell(HttpContext http, string site, string token)
    {
        var nonce = Protect(http);
        var html = new StringBuilder($"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="hearth-site" content="{E(site)}"><meta name="hearth-token" content="{E(token)}">
            <title>Moderate {E(site)} · Hearth</title>
            <link rel="stylesheet" href="/moderation/moderation.css" nonce="{nonce}">
            </head><body>
            <header class="top"><h1>Moderate <span class="site">{E(site)}</span></h1>
            <nav class="tabs" aria-label="Queues"></nav>
            <a class="back" href="/account/moderate/{Uri.EscapeDataString(site)}/dashboard">Dashboard</a>
            <a href="/account/moderate/{Uri.EscapeDataString(site)}/settings">Settings</a>
            <a href="/account">Your account</a></header>
            <main id="app" aria-busy="true"><p class="muted">Loading…</p></main>
            <p id="live" class="visually-hidden" aria-live="polite"></p>
            <script src="/moderation/moderation.js" nonce="{nonce}" defer></script>
            </body></html>
            """);
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8");
    }
}
