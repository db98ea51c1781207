using System.Globalization;
using System.Text;
using Hearth.Accounts;
using Hearth.Identity;
using Hearth.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Sites;

public sealed record TeamInviteForm(string? Email, string? Role);

public sealed record TeamRoleForm(string? Role);

public sealed record TeamAcceptForm(string? Token);

/// <summary>
/// A site's team in the console: everyone on it sees who runs the site with them; owners (and admins) invite people by
/// e-mail, change roles, take people off the team and take invitations back, with the rules and audit of
/// <see cref="TeamChanges"/>. The invited accept at <c>/account/invite</c>, signed in with the invited address.
/// </summary>
public static class TeamPage
{
    public static void MapTeamPage(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/account/moderate/{site}/team").ExcludeFromDescription();
        pages.MapGet("", ShowAsync);
        // Binding a form checks its anti-forgery token; the forms without fields check it in the filter.
        pages.MapPost("/invite", InviteAsync).RequireRateLimiting(Web.RateLimits.AccountActions);
        pages.MapPost("/{userId:long}/role", ChangeAsync).RequireRateLimiting(Web.RateLimits.AccountActions);
        pages.MapPost("/{userId:long}/remove", RemoveAsync).AddEndpointFilter<RequireAntiforgery>().RequireRateLimiting(Web.RateLimits.AccountActions);
        pages.MapPost("/invites/{id:long}/withdraw", WithdrawAsync).AddEndpointFilter<RequireAntiforgery>()
            .RequireRateLimiting(Web.RateLimits.AccountActions);

        var invite = app.MapGroup("/account/invite").ExcludeFromDescription();
        invite.MapGet("", ShowInviteAsync);
        invite.MapPost("", AcceptAsync).RequireRateLimiting(Web.RateLimits.AccountActions);
    }

    static async Task<(ConsoleMember? Access, IResult? Refusal)> AccessAsync(HttpContext http, string name, HearthDb db, bool manage, CancellationToken ct) =>
        await ConsoleAccess.RequireAsync(http, name, db, manage, "team", ct);

    static string Back(string site) => $"/account/moderate/{Uri.EscapeDataString(site)}/team";

    static async Task<IResult> ShowAsync(HttpContext http, string site, HearthDb db, TimeProvider clock, string? done, CancellationToken ct)
    {
        var (access, refusal) = await AccessAsync(http, site, db, manage: false, ct);
        return refusal ?? await TeamAsync(http, access!, db, clock, done, null, null, 200, ct);
    }

    static async Task<IResult> TeamAsync(HttpContext http, ConsoleMember access, HearthDb db, TimeProvider clock, string? done, string? error, TeamInviteForm? typed,
        int status, CancellationToken ct)
    {
        var site = access.Site;
        var team = await db.SiteMembers.AsNoTracking().Where(m => m.SiteId == site.Id && m.Role != null)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Id, u.DisplayName, u.Email, m.Role, m.JoinedAt })
            .OrderByDescending(x => x.Role).ThenBy(x => x.DisplayName).Take(500).ToListAsync(ct);
        var owners = team.Count(m => m.Role == SiteRole.Owner);
        var back = Back(site.Name);
        var html = new StringBuilder();
        html.Append(done switch
        {
            "invited" => "<p role=\"status\" class=\"notice\" id=\"done\">Invitation sent. It works once, for seven days, for the account confirmed with that address.</p>",
            "changed" => "<p role=\"status\" class=\"notice\" id=\"done\">Role changed. The change is in the site's log.</p>",
            "removed" => "<p role=\"status\" class=\"notice\" id=\"done\">Taken off the team. The change is in the site's log.</p>",
            "withdrawn" => "<p role=\"status\" class=\"notice\" id=\"done\">Invitation taken back: its link no longer works.</p>",
            _ => "",
        });
        html.Append(Error(error));
        html.Append("<p class=\"hint\">Owners change the site, its team and its secret; moderators decide on comments and welcome people. Both see the dashboard.</p>");
        html.Append("<ul class=\"people\" id=\"team\">");
        foreach (var member in team)
        {
            var role = TeamChanges.Name(member.Role);
            html.Append(CultureInfo.InvariantCulture,
                $"<li data-user=\"{member.Id}\"><p><span class=\"name\">{E(member.DisplayName)}</span> <span class=\"badge\">{role}</span>");
            if (access.Manages)
            {
                html.Append(CultureInfo.InvariantCulture, $" <span class=\"muted\">{E(member.Email)}</span>");
            }
            html.Append(CultureInfo.InvariantCulture, $" <span class=\"muted\">· since {member.JoinedAt:yyyy-MM-dd}</span></p>");
            if (access.Manages)
            {
                var other = member.Role == SiteRole.Owner ? "moderator" : "owner";
                var lastOwner = member.Role == SiteRole.Owner && owners == 1;
                html.Append(lastOwner
                    ? "<p class=\"hint\">The site's only owner: make someone else an owner before this one leaves or moderates only.</p>"
                    : $"""
                      <form method="post" action="{back}/{member.Id}/role" class="inline">{Csrf(http)}<input type="hidden" name="role" value="{other}"><button type="submit" class="quiet" aria-label="Make {E(member.DisplayName)} {other}">Make {other}</button></form>
                      <form method="post" action="{back}/{member.Id}/remove" class="inline">{Csrf(http)}<button type="submit" class="quiet" aria-label="Take {E(member.DisplayName)} off the team">Take off the team</button></form>
                      """);
            }
            html.Append("</li>");
        }
        html.Append("</ul>");
        if (access.Manages)
        {
            var pending = await TeamApi.PendingAsync(db, site.Id, clock, ct);
            html.Append("<h2 id=\"invites\">Invitations waiting</h2>");
            if (pending.Count == 0)
            {
                html.Append("<p class=\"muted\">None.</p>");
            }
            else
            {
                html.Append("<ul class=\"people\" id=\"pending\">");
                foreach (var invite in pending)
                {
                    html.Append(CultureInfo.InvariantCulture, $"""
                        <li data-invite="{invite.Id}"><p><span class="name">{E(invite.Email)}</span> <span class="badge">{invite.Role}</span> <span class="muted">· until {invite.ExpiresAt:yyyy-MM-dd HH:mm} UTC</span></p>
                        <form method="post" action="{back}/invites/{invite.Id}/withdraw">{Csrf(http)}<button type="submit" class="quiet" aria-label="Take back the invitation of {E(invite.Email)}">Take back</button></form></li>
                        """);
                }
                html.Append("</ul>");
            }
            var f = typed ?? new TeamInviteForm(null, "moderator");
            html.Append(CultureInfo.InvariantCulture, $"""
                <h2 id="invite">Invite someone</h2>
                <form method="post" action="{back}/invite">{Csrf(http)}
                <label for="email">Their e-mail address <span class="hint">they accept from the account confirmed with it, or create one</span></label>
                <input id="email" name="email" type="email" required maxlength="254" value="{E(f.Email)}">
                <fieldset><legend>As</legend>
                <label><input type="radio" name="role" value="moderator"{(f.Role != "owner" ? " checked" : "")}> Moderator</label>
                <label><input type="radio" name="role" value="owner"{(f.Role == "owner" ? " checked" : "")}> Owner</label>
                </fieldset>
                <button type="submit">Send the invitation</button>
                </form>
                """);
        }
        var name = Uri.EscapeDataString(site.Name);
        html.Append(CultureInfo.InvariantCulture,
            $"<p class=\"muted\"><a href=\"/account/sites\">Your sites</a> · <a href=\"/account/moderate/{name}\">Moderate</a> · <a href=\"/account/moderate/{name}/dashboard\">Dashboard</a></p>");
        return Page(http, $"The team of {site.Name}", html.ToString(), status: status);
    }

    static async Task<IResult> InviteAsync(HttpContext http, string site, [FromForm] TeamInviteForm form, HearthDb db, TeamChanges team, TimeProvider clock,
        CancellationToken ct)
    {
        var (access, refusal) = await AccessAsync(http, site, db, manage: true, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var (_, problem) = await team.InviteAsync(access!.Site, new TeamActor(access.UserId, access.Name), form.Email, form.Role, ct);
        return problem is null
            ? TypedResults.Redirect(Back(access.Site.Name) + "?done=invited")
            : await TeamAsync(http, access, db, clock, null, Say(problem), form, problem.Status, ct);
    }

    static async Task<IResult> ChangeAsync(HttpContext http, string site, long userId, [FromForm] TeamRoleForm form, HearthDb db, TeamChanges team,
        TimeProvider clock, CancellationToken ct)
    {
        var (access, refusal) = await AccessAsync(http, site, db, manage: true, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        if (TeamChanges.ParseRole(form.Role) is not { } role)
        {
            return await TeamAsync(http, access!, db, clock, null, "Role: choose moderator or owner.", null, 400, ct);
        }
        return await AfterAsync(http, access!, db, clock, "changed", await team.ChangeAsync(access!.Site, new TeamActor(access.UserId, access.Name), userId, role, ct), ct);
    }

    static async Task<IResult> RemoveAsync(HttpContext http, string site, long userId, HearthDb db, TeamChanges team, TimeProvider clock, CancellationToken ct)
    {
        var (access, refusal) = await AccessAsync(http, site, db, manage: true, ct);
        return refusal
            ?? await AfterAsync(http, access!, db, clock, "removed", await team.ChangeAsync(access!.Site, new TeamActor(access.UserId, access.Name), userId, null, ct), ct);
    }

    static async Task<IResult> WithdrawAsync(HttpContext http, string site, long id, HearthDb db, TeamChanges team, TimeProvider clock, CancellationToken ct)
    {
        var (access, refusal) = await AccessAsync(http, site, db, manage: true, ct);
        return refusal
            ?? await AfterAsync(http, access!, db, clock, "withdrawn", await team.CancelInviteAsync(access!.Site, new TeamActor(access.UserId, access.Name), id, ct), ct);
    }

    static async Task<IResult> AfterAsync(HttpContext http, ConsoleMember access, HearthDb db, TimeProvider clock, string done, TeamRefusal? problem, CancellationToken ct) =>
        problem is null
            ? TypedResults.Redirect(Back(access.Site.Name) + "?done=" + done)
            : await TeamAsync(http, access, db, clock, null, Say(problem), null, problem.Status, ct);

    static string Say(TeamRefusal problem) => problem.Status == 400
        ? $"{(problem.Field == "email" ? "E-mail address" : "Role")}: {problem.Message}"
        : problem.Message;

    /// <summary>
    /// What the link in the invitation opens. Opening it changes nothing (mail scanners open links too): the invited
    /// person accepts with the button, signed in with the invited address.
    /// </summary>
    static async Task<IResult> ShowInviteAsync(HttpContext http, string? token, TeamChanges team, HearthDb db, UserManager<HearthUser> users,
        CancellationToken ct)
    {
        var invite = await team.FindAsync(token, ct);
        if (invite is null)
        {
            return Gone(http);
        }
        var site = await db.Sites.Where(s => s.Id == invite.SiteId).Select(s => s.Name).FirstAsync(ct);
        var role = TeamChanges.Name(invite.Role);
        var here = "/account/invite?token=" + Uri.EscapeDataString(token!);
        var user = await users.GetUserAsync(http.User);
        if (user is null)
        {
            return Page(http, $"Join the team of {site}", $"""
                <p>You are invited to help run the conversations of <strong>{E(site)}</strong> as {(invite.Role == SiteRole.Owner ? "an owner" : "a moderator")}.</p>
                <p>Sign in with the account of {E(TeamChanges.Masked(invite.Email))}, or create one with that address and confirm it, then open the link in the invitation again.</p>
                <p><a class="action" href="/account/signin?returnUrl={Uri.EscapeDataString(here)}">Sign in</a><a class="action secondary" href="/account/signup">Create an account</a></p>
                """);
        }
        return Page(http, $"Join the team of {site}", $"""
            <p>You are invited to help run the conversations of <strong>{E(site)}</strong> as {(invite.Role == SiteRole.Owner ? "an owner" : "a moderator")}.</p>
            <p class="hint">You are signed in as {E(user.DisplayName)} ({E(user.Email)}).</p>
            <form method="post" action="/account/invite">{Csrf(http)}<input type="hidden" name="token" value="{E(token)}">
            <button type="submit" id="accept">Join as {role}</button></form>
            """);
    }

    static async Task<IResult> AcceptAsync(HttpContext http, [FromForm] TeamAcceptForm form, TeamChanges team, HearthDb db, UserManager<HearthUser> users,
        CancellationToken ct)
    {
        var user = await users.GetUserAsync(http.User);
        if (user is null)
        {
            return TypedResults.Redirect("/account/signin?returnUrl=" + Uri.EscapeDataString("/account/invite?token=" + Uri.EscapeDataString(form.Token ?? "")));
        }
        var invite = await team.FindAsync(form.Token, ct);
        var (role, problem) = await team.AcceptAsync(form.Token, user, ct);
        if (problem is not null)
        {
            return problem.Status == 410 ? Gone(http) : Page(http, "Another address", $"<p class=\"error\" role=\"alert\">{E(problem.Message)}</p>", status: problem.Status);
        }
        var site = await db.Sites.Where(s => s.Id == invite!.SiteId).Select(s => s.Name).FirstAsync(ct);
        var name = Uri.EscapeDataString(site);
        return Page(http, $"Welcome to the team of {site}", $"""
            <p role="status" id="joined">You are now {(role == SiteRole.Owner ? "an owner" : "a moderator")} of <strong>{E(site)}</strong>.</p>
            <p><a class="action" href="/account/sites">Your sites</a><a class="action secondary" href="/account/moderate/{name}">Moderate {E(site)}</a></p>
            """);
    }

    static IResult Gone(HttpContext http) => Page(http, "This invitation does not work", """
        <p>It was accepted, taken back or replaced by a newer one, or it expired. Ask the site's owner to invite you again.</p>
        <p><a href="/account/sites">Your sites</a></p>
        """, status: 410);
}
