using System.Globalization;
using System.Text;
using Hearth.Accounts;
using Hearth.Identity;
using Hearth.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Sites;

public sealed record NewSiteForm(string? Name, string? Origins, string? Moderation);

/// <summary>What <c>/account/sites/{site}/seen</c> answers: the origins the widget was last opened from, and when.</summary>
public sealed record OriginSeen(string Origin, DateTime? LastSeenAt);

/// <summary>
/// The console's front page: the sites a person runs, each with its snippet ready to paste, whether the widget has
/// been opened from each of its origins (checked again while the page is open), and the way to its dashboard,
/// moderation and settings. The instance's admins add sites here with the rules of <c>hearth sites add</c>.
/// </summary>
public static class SitesConsolePage
{
    public static void MapSitesConsolePage(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/account/sites").ExcludeFromDescription();
        pages.MapGet("", ShowAsync);
        // Binding the form checks its anti-forgery token.
        pages.MapPost("", AddAsync).RequireRateLimiting(Web.RateLimits.AccountActions);
        pages.MapGet("/{site}/seen", SeenAsync);
    }

    static async Task<IResult> ShowAsync(HttpContext http, HearthDb db, Mail.PublicAddress address, TimeProvider clock, Analytics.ViewCounter views,
        string? added, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin?returnUrl=%2Faccount%2Fsites");
        }
        await views.FlushAsync(ct);
        return await ListAsync(http, db, address, clock, userId, added, null, null, 200, ct);
    }

    static async Task<IResult> ListAsync(HttpContext http, HearthDb db, Mail.PublicAddress address, TimeProvider clock, long userId, string? added,
        string? error, NewSiteForm? typed, int status, CancellationToken ct)
    {
        var admin = await db.Users.Where(u => u.Id == userId).Select(u => u.IsAdmin).FirstOrDefaultAsync(ct);
        var roles = await db.SiteMembers.AsNoTracking().Where(m => m.UserId == userId && m.Role != null)
            .ToDictionaryAsync(m => m.SiteId, m => m.Role!.Value, ct);
        var sites = await db.Sites.AsNoTracking().Where(s => admin || roles.Keys.Contains(s.Id)).OrderBy(s => s.Name).ToListAsync(ct);
        var ids = sites.Select(s => s.Id).ToList();
        var seen = (await db.WidgetOrigins.AsNoTracking().Where(o => ids.Contains(o.SiteId)).ToListAsync(ct))
            .ToLookup(o => o.SiteId);
        var now = clock.GetUtcNow().UtcDateTime;

        var html = new StringBuilder();
        html.Append(Error(error));
        if (added is not null && sites.Any(s => s.Name == added))
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<p role=\"status\" class=\"notice\" id=\"added\">Added <strong>{E(added)}</strong>. Paste its snippet into your page, open the page, and this list says when the widget loads there.</p>");
        }
        if (sites.Count == 0)
        {
            html.Append(admin ? "<p class=\"muted\">No sites yet: add the first below.</p>"
                : "<p class=\"muted\">You run no site here. An admin of this Hearth adds sites, and a site's owner can make you one of its team.</p>");
        }
        html.Append("<ul class=\"people\" id=\"sites\">");
        foreach (var site in sites.OrderByDescending(s => s.Name == added))
        {
            var name = Uri.EscapeDataString(site.Name);
            var role = roles.TryGetValue(site.Id, out var r) ? r.ToString().ToLowerInvariant() : "admin";
            var owner = admin || r == SiteRole.Owner;
            var origins = new StringBuilder();
            foreach (var origin in site.Origins)
            {
                var last = seen[site.Id].FirstOrDefault(o => o.Origin == origin)?.LastSeenAt;
                origins.Append(CultureInfo.InvariantCulture,
                    $"<li data-origin=\"{E(origin)}\">{E(origin)}: <span class=\"seen\">{Seen(last, now)}</span></li>");
            }
            var snippet = $"<div id=\"hearth-thread\"></div>\n<script src=\"{address.Root}/embed.js\" data-site=\"{site.Name}\" async></script>";
            html.Append(CultureInfo.InvariantCulture, $"""
                <li class="site" data-site="{E(site.Name)}"><p><span class="name">{E(site.Name)}</span> <span class="badge">{role}</span> <span class="muted">· {Mode(site.Moderation)}</span></p>
                <p><a href="/account/moderate/{name}/dashboard">Dashboard</a> · <a href="/account/moderate/{name}">Moderate</a> · <a href="/account/moderate/{name}/team">Team</a>{(owner ? $" · <a href=\"/account/moderate/{name}/settings\">Settings</a>" : "")}</p>
                <p class="muted">Does the widget load on your pages?</p>
                <ul class="origins">{origins}</ul>
                <details{(site.Name == added ? " open" : "")}><summary>The snippet to paste</summary>
                <p class="hint">Put it where the conversation should appear, on any page of {E(string.Join(" or ", site.Origins))}.</p>
                <pre class="snippet"><code>{E(snippet)}</code></pre></details></li>
                """);
        }
        html.Append("</ul>");
        if (admin)
        {
            var f = typed ?? new NewSiteForm(null, null, "post");
            string Mode(string value, string label) =>
                $"""<label><input type="radio" name="moderation" value="{value}"{((f.Moderation ?? "post") == value ? " checked" : "")}> {label}</label>""";
            html.Append(CultureInfo.InvariantCulture, $"""
                <h2 id="add">Add a site</h2>
                <form method="post" action="/account/sites">{Csrf(http)}
                <label for="name">Name <span class="hint">lower-case letters, digits and dashes, e.g. my-blog; it is in the snippet</span></label>
                <input id="name" name="name" required maxlength="64" pattern="[a-z0-9-]+" value="{E(f.Name)}">
                <label for="origins">Where it is embedded: the origin of your pages, one per line <span class="hint">e.g. https://blog.example</span></label>
                <textarea id="origins" name="origins" rows="2" required>{E(f.Origins)}</textarea>
                <fieldset><legend>Moderation</legend>
                {Mode("post", "Publish at once")}
                {Mode("first", "Hold a person's first comment")}
                {Mode("pre", "Hold every comment")}
                </fieldset>
                <button type="submit">Add the site</button>
                </form>
                """);
        }
        html.Append("<p class=\"muted\"><a href=\"/account/sites/dashboard\">All your sites side by side</a> · <a href=\"/account\">Your account</a> · <a href=\"/account/tokens\">API tokens</a></p>");
        return Page(http, "Your sites", html.ToString(), script: sites.Count == 0 ? null : Poll, status: status);
    }

    static string Mode(ModerationMode mode) => mode switch
    {
        ModerationMode.Pre => "every comment held",
        ModerationMode.First => "first comments held",
        _ => "comments publish at once",
    };

    static string Seen(DateTime? last, DateTime now) => last is not { } at
        ? "not opened yet"
        : (now - at) switch
        {
            var d when d < TimeSpan.FromMinutes(2) => "yes, just now",
            var d when d < TimeSpan.FromHours(2) => $"yes, {(int)d.TotalMinutes} minutes ago",
            var d when d < TimeSpan.FromDays(2) => $"yes, {(int)d.TotalHours} hours ago",
            var d => $"yes, {(int)d.TotalDays} days ago",
        };

    /// <summary>While the page is open, each site's origins are asked about again every few seconds.</summary>
    const string Poll = """
        const check = async () => {
          if (!document.hidden) {
            for (const site of document.querySelectorAll("li.site")) {
              const r = await fetch("/account/sites/" + encodeURIComponent(site.dataset.site) + "/seen", { headers: { Accept: "application/json" } }).catch(() => null);
              if (!r || !r.ok) continue;
              for (const o of await r.json()) {
                const li = [...site.querySelectorAll("li[data-origin]")].find((x) => x.dataset.origin === o.origin);
                if (li) li.querySelector(".seen").textContent = o.text;
              }
            }
          }
          setTimeout(check, 5000);
        };
        setTimeout(check, 5000);
        """;

    static async Task<IResult> SeenAsync(HttpContext http, string site, HearthDb db, TimeProvider clock, Analytics.ViewCounter views, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return Web.Problems.Of(StatusCodes.Status401Unauthorized, "sign_in_required", "Sign in on the account pages.");
        }
        if (!(await ApiTokens.SitesAsync(db, userId, ct)).Contains(site))
        {
            return Web.Problems.SiteNotFound(site);
        }
        // What this node saw in its last seconds is written first; other nodes' within ten seconds.
        await views.FlushAsync(ct);
        var entity = await db.Sites.AsNoTracking().FirstAsync(s => s.Name == site, ct);
        var seen = await db.WidgetOrigins.AsNoTracking().Where(o => o.SiteId == entity.Id).ToDictionaryAsync(o => o.Origin, o => o.LastSeenAt, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(entity.Origins.Select(o => new { origin = o, lastSeenAt = seen.TryGetValue(o, out var at) ? at : (DateTime?)null,
            text = Seen(seen.TryGetValue(o, out var t) ? t : null, now) }));
    }

    static async Task<IResult> AddAsync(HttpContext http, [FromForm] NewSiteForm form, HearthDb db, Mail.PublicAddress address, TimeProvider clock,
        SiteDirectory directory, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin?returnUrl=%2Faccount%2Fsites");
        }
        var user = await db.Users.Where(u => u.Id == userId).Select(u => new { u.IsAdmin, u.DisplayName }).FirstAsync(ct);
        if (!user.IsAdmin)
        {
            return Page(http, "Admins only", "<p>Only an admin of this Hearth adds sites.</p><p><a href=\"/account/sites\">Your sites</a></p>", status: 403);
        }
        var name = form.Name?.Trim() ?? "";
        if (!Site.IsValidName(name))
        {
            return await ListAsync(http, db, address, clock, userId, null, "Name: use 1 to 64 lower-case letters, digits and dashes, e.g. my-blog.", form, 400, ct);
        }
        var origins = new List<string>();
        foreach (var line in (form.Origins ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!SiteOrigin.TryNormalize(line, out var origin))
            {
                return await ListAsync(http, db, address, clock, userId, null,
                    $"Origins: '{line}' is not an origin. Give the scheme, the host and a port if any, e.g. https://blog.example.", form, 400, ct);
            }
            if (!origins.Contains(origin))
            {
                origins.Add(origin);
            }
        }
        if (origins.Count == 0)
        {
            return await ListAsync(http, db, address, clock, userId, null, "Origins: give at least one, e.g. https://blog.example.", form, 400, ct);
        }
        var mode = form.Moderation switch
        {
            "pre" => ModerationMode.Pre,
            "first" => ModerationMode.First,
            "post" or null => ModerationMode.Post,
            _ => (ModerationMode?)null,
        };
        if (mode is null)
        {
            return await ListAsync(http, db, address, clock, userId, null, "Moderation: choose one of the three.", form, 400, ct);
        }
        if (await db.Sites.AnyAsync(s => s.Name == name, ct))
        {
            return await ListAsync(http, db, address, clock, userId, null, $"Name: a site named {name} exists already.", form, 400, ct);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var site = new Site { Name = name, Origins = origins, Moderation = mode.Value, CreatedAt = now };
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            db.Sites.Add(site);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another admin (or the command line) made it between the check and the insert.
                db.ChangeTracker.Clear();
                return await ListAsync(http, db, address, clock, userId, null, $"Name: a site named {name} exists already.", form, 400, ct);
            }
            // Whoever adds a site owns it, so it stays theirs to run if they stop being an admin.
            db.SiteMembers.Add(new SiteMember { SiteId = site.Id, UserId = userId, Role = SiteRole.Owner, JoinedAt = now });
            db.AuditLog.Add(new Moderation.AuditEntry
            {
                SiteId = site.Id, ActorUserId = userId, ActorName = user.DisplayName, Action = "site-added", Target = $"site {site.Name}",
                After = $"origins {string.Join(" ", origins)}; moderation {mode.Value.ToString().ToLowerInvariant()}", At = now,
            });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        directory.Forget(name);
        return TypedResults.Redirect("/account/sites?added=" + Uri.EscapeDataString(name));
    }
}
