using System.Globalization;
using System.Text;
using Hearth.Identity;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Accounts;

public sealed record ApiTokenForm(string? Site);

/// <summary>
/// Tokens for running a site through the API (settings, team, later moderation): made here by its owners and
/// moderators (or an admin), for one site, shown once, good for 90 days unless revoked sooner.
/// </summary>
public static class ApiTokens
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);

    public static async Task<IResult> ShowAsync(HttpContext http, HearthDb db, TimeProvider clock, CancellationToken ct) =>
        http.User.UserId() is { } userId ? await PageAsync(http, db, clock, userId, null, ct) : TypedResults.Redirect("/account/signin");

    static async Task<IResult> PageAsync(HttpContext http, HearthDb db, TimeProvider clock, long userId, string? created, CancellationToken ct, string? error = null, int status = 200)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var sites = await SitesAsync(db, userId, ct);
        var tokens = await db.MemberSessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.Kind == MemberSession.Api && s.ExpiresAt > now)
            .Join(db.Sites, s => s.SiteId, x => x.Id, (s, x) => new { s.Id, Site = x.Name, s.CreatedAt, s.ExpiresAt })
            .OrderByDescending(s => s.CreatedAt).ToListAsync(ct);
        var rows = new StringBuilder();
        foreach (var t in tokens)
        {
            rows.Append(CultureInfo.InvariantCulture, $"""
                <tr><td>{E(t.Site)}</td><td>{t.CreatedAt:yyyy-MM-dd}</td><td>{t.ExpiresAt:yyyy-MM-dd}</td>
                <td><form method="post" action="/account/tokens/{t.Id}/revoke">{Csrf(http)}<button class="quiet" type="submit">Revoke</button></form></td></tr>
                """);
        }
        var options = string.Concat(sites.Select(s => $"<option value=\"{E(s)}\">{E(s)}</option>"));
        return Page(http, "API tokens", $"""
            <p class="hint">For running a site through the API: <code>Authorization: Bearer &lt;token&gt;</code>. Each token serves one site, for 90 days.</p>
            {(created is null ? "" : $"<p>Your new token, shown only now:</p><p><code id=\"new-token\">{E(created)}</code></p>")}
            {Error(error)}
            {(tokens.Count == 0 ? "" : $"<table><thead><tr><th>Site</th><th>Made</th><th>Ends</th><th></th></tr></thead><tbody>{rows}</tbody></table>")}
            {(sites.Count == 0 ? "<p class=\"muted\">You run no site here.</p>" : $"""
                <form method="post" action="/account/tokens">{Csrf(http)}
                <label for="site">Site</label><select id="site" name="site">{options}</select>
                <button type="submit">Make a token</button></form>
                """)}
            <p class="muted"><a href="/account">Back to your account</a></p>
            """, status: status);
    }

    /// <summary>The sites this person may run: where they are owner or moderator, or all of them for an admin.</summary>
    public static async Task<List<string>> SitesAsync(HearthDb db, long userId, CancellationToken ct)
    {
        var admin = await db.Users.Where(u => u.Id == userId).Select(u => u.IsAdmin).FirstOrDefaultAsync(ct);
        var mine = db.SiteMembers.Where(m => m.UserId == userId && m.Role != null).Select(m => m.SiteId);
        return await db.Sites.Where(s => admin || mine.Contains(s.Id)).OrderBy(s => s.Name).Select(s => s.Name).ToListAsync(ct);
    }

    public static async Task<IResult> CreateAsync(HttpContext http, [Microsoft.AspNetCore.Mvc.FromForm] ApiTokenForm form, HearthDb db,
        TimeProvider clock, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin");
        }
        if (form.Site is null || !(await SitesAsync(db, userId, ct)).Contains(form.Site))
        {
            return await PageAsync(http, db, clock, userId, null, ct, "You do not run that site.", 403);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var siteId = await db.Sites.Where(s => s.Name == form.Site).Select(s => s.Id).FirstAsync(ct);
        var (session, token) = MemberSession.Start(userId, siteId, MemberSession.Api, now, Lifetime, "API token");
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            db.MemberSessions.Add(session);
            await db.SaveChangesAsync(ct);
            await AuditAsync(db, userId, siteId, "api-token", session, $"until {session.ExpiresAt:yyyy-MM-dd}", now, ct);
            await transaction.CommitAsync(ct);
        }
        return await PageAsync(http, db, clock, userId, token, ct);
    }

    /// <summary>
    /// A token that runs a site, made, revoked or opened by the moderation page, in the site's log: who, which
    /// token (its number, never the token or its hash), until when.
    /// </summary>
    public static async Task AuditAsync(HearthDb db, long userId, long siteId, string action, MemberSession session, string? after,
        DateTime now, CancellationToken ct)
    {
        var name = await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstAsync(ct);
        db.AuditLog.Add(new Moderation.AuditEntry
        {
            SiteId = siteId, ActorUserId = userId, ActorName = name, Action = action,
            Target = $"{(session.Kind == MemberSession.Api ? "API token" : "session")} {session.Id}", After = after, At = now,
        });
        await db.SaveChangesAsync(ct);
    }

    public static async Task<IResult> RevokeAsync(HttpContext http, long id, HearthDb db, TimeProvider clock, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin");
        }
        var session = await db.MemberSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.UserId == userId && s.Kind == MemberSession.Api, ct);
        if (session is { SiteId: { } siteId })
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Revoked (and logged) by whoever deletes the row: the same form sent twice at once, or to two nodes, finds
            // the second deleting nothing, instead of failing on a row already gone.
            if (await db.MemberSessions.Where(s => s.Id == id).ExecuteDeleteAsync(ct) == 1)
            {
                await AuditAsync(db, userId, siteId, "api-token-revoke", session, null, clock.GetUtcNow().UtcDateTime, ct);
            }
            await transaction.CommitAsync(ct);
        }
        return TypedResults.Redirect("/account/tokens");
    }
}
