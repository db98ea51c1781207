using System.Globalization;
using System.Text;
using Hearth.Accounts;
using Hearth.People;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Notifications;

/// <summary>
/// The people an account follows or muted, on Hearth's own pages: the list with a button to stop each, and the choices
/// about one person with a public profile, per site where their comments are listed (what their profile's Follow and
/// Mute buttons lead to: the profile is public and never carries the account's cookie, which stays on /account).
/// </summary>
public static class PeoplePages
{
    public static void MapPeoplePages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/account/people").ExcludeFromDescription();
        pages.MapGet("", ListAsync);
        pages.MapGet("/{id:long}", PersonAsync);
        pages.MapPost("/change", ChangeAsync).AddEndpointFilter<RequireAntiforgery>().RequireRateLimiting(Web.RateLimits.AccountActions);
    }

    static string StateText(string state) => state == PersonFollow.Muted ? "muted" : "following";

    static async Task<IResult> ListAsync(HttpContext http, HearthDb db, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin?returnUrl=%2Faccount%2Fpeople");
        }
        // At most a site's cap on each site; a page of the newest is plenty to look through.
        var rows = await (
            from f in db.Set<PersonFollow>().AsNoTracking()
            where f.UserId == userId
            join p in db.People on f.PersonId equals p.Id
            join s in db.Sites on f.SiteId equals s.Id
            orderby f.CreatedAt descending, f.PersonId descending
            select new { f.PersonId, f.State, f.CreatedAt, p.Name, p.Kind, p.UserId, Site = s.Name }).Take(500).ToListAsync(ct);
        var csrf = Csrf(http);
        var list = new StringBuilder();
        foreach (var r in rows)
        {
            var name = r.Kind == PersonKind.Member && r.UserId is { } profile ? $"<a href=\"/people/{profile}\">{E(r.Name)}</a>" : $"<strong>{E(r.Name)}</strong>";
            var stop = r.State == PersonFollow.Muted ? "Unmute" : "Stop following";
            list.Append(CultureInfo.InvariantCulture, $"""
                <li>{name} <span class="muted">on {E(r.Site)}: {StateText(r.State)} since <time datetime="{r.CreatedAt:O}">{r.CreatedAt:yyyy-MM-dd}</time></span>
                <form method="post" action="/account/people/change">{csrf}<input type="hidden" name="person" value="{r.PersonId}"><input type="hidden" name="state" value="none">
                <button class="quiet" type="submit" aria-label="{stop} {E(r.Name)} on {E(r.Site)}">{stop}</button></form></li>
                """);
        }
        return Page(http, "People you follow", $"""
            <p class="hint">When someone you follow writes a public comment on that site, it reaches <a href="/account/inbox">your inbox</a>. Nothing someone you muted writes there notifies you, and the comment widget folds their comments away for you. Nobody else sees this list.</p>
            {(rows.Count == 0 ? "<p class=\"muted\">You follow and muted no one yet. Follow people from their profile or from their name in a conversation.</p>" : $"<ul class=\"comments\">{list}</ul>")}
            <p class="muted"><a href="/account">Back to your account</a></p>
            """);
    }

    /// <summary>The sites where a person with a public profile may be followed: where their comments are listed on it.</summary>
    internal static async Task<List<(long PersonId, string Site)>> SitesOfAsync(HearthDb db, long profileId, CancellationToken ct)
    {
        var rows = await (
            from p in db.People.AsNoTracking()
            where p.UserId == profileId && p.Kind == PersonKind.Member && p.MergedIntoId == null
            join s in db.Sites on p.SiteId equals s.Id
            where s.ListOnProfiles
            orderby s.Name
            select new { p.Id, s.Name }).Take(100).ToListAsync(ct);
        return [.. rows.Select(x => (x.Id, x.Name))];
    }

    static async Task<IResult> PersonAsync(HttpContext http, long id, string? site, string? want, HearthDb db, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            var back = $"/account/people/{id}" + (site is null ? "" : $"?site={Uri.EscapeDataString(site)}&want={Uri.EscapeDataString(want ?? "")}");
            return TypedResults.Redirect("/account/signin?returnUrl=" + Uri.EscapeDataString(back));
        }
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null || !Identity.HearthUser.HasPublicProfile(user.SsoSiteId))
        {
            return Page(http, "No such person", "<p>There is no profile here.</p>", status: 404);
        }
        if (id == userId)
        {
            return Page(http, user.DisplayName, "<p>This is you: you cannot follow or mute yourself. <a href=\"/account/people\">People you follow</a></p>");
        }
        var sites = await SitesOfAsync(db, id, ct);
        var ids = sites.Select(s => s.PersonId).ToList();
        var states = await db.Set<PersonFollow>().AsNoTracking().Where(f => f.UserId == userId && ids.Contains(f.PersonId))
            .ToDictionaryAsync(f => f.PersonId, f => f.State, ct);
        var csrf = Csrf(http);
        var rows = new StringBuilder();
        foreach (var (personId, name) in sites)
        {
            var state = states.GetValueOrDefault(personId);
            string Button(string to, string label, bool first) =>
                $"""<form method="post" action="/account/people/change">{csrf}<input type="hidden" name="person" value="{personId}"><input type="hidden" name="state" value="{to}"><input type="hidden" name="back" value="{id}"><button type="submit"{(first ? " autofocus" : "")} class="{(first ? "" : "quiet")}" aria-label="{E(label)} {E(user.DisplayName)} on {E(name)}">{E(label)}</button></form>""";
            var asked = name == site;
            var buttons = state switch
            {
                PersonFollow.Following => Button("none", "Stop following", asked) + Button(PersonFollow.Muted, "Mute", false),
                PersonFollow.Muted => Button("none", "Unmute", asked) + Button(PersonFollow.Following, "Follow", false),
                _ => want == PersonFollow.Muted && asked
                    ? Button(PersonFollow.Muted, "Mute", true) + Button(PersonFollow.Following, "Follow", false)
                    : Button(PersonFollow.Following, "Follow", asked) + Button(PersonFollow.Muted, "Mute", false),
            };
            rows.Append(CultureInfo.InvariantCulture, $"""
                <li><h2>{E(name)}</h2><p class="muted">{(state is null ? "You neither follow nor muted them here." : $"You are {StateText(state)} them here.")}</p>{buttons}</li>
                """);
        }
        return Page(http, user.DisplayName, $"""
            <p class="hint">Following <a href="/people/{id}">{E(user.DisplayName)}</a> on a site brings their new public comments there to <a href="/account/inbox">your inbox</a>; muting them keeps anything they write there from notifying you. They are not told either way.</p>
            {(sites.Count == 0 ? "<p class=\"muted\">They have no comments on a site that lists them on profiles.</p>" : $"<ul class=\"comments\">{rows}</ul>")}
            <p class="muted"><a href="/account/people">People you follow</a></p>
            """);
    }

    static async Task<IResult> ChangeAsync(HttpContext http, HearthDb db, TimeProvider clock, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin");
        }
        var form = await http.Request.ReadFormAsync(ct);
        var state = form["state"].ToString();
        IResult Refuse(string why, int status = 400) =>
            Page(http, "People you follow", $"<p class=\"error\" role=\"alert\">{E(why)} <a href=\"/account/people\">Back to the people you follow</a></p>", status: status);
        if (state is not (PersonFollow.Following or PersonFollow.Muted or "none"))
        {
            return Refuse("Choose to follow, mute or neither.");
        }
        if (!long.TryParse(form["person"], NumberStyles.None, CultureInfo.InvariantCulture, out var personId)
            || await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == personId, ct) is not { } person)
        {
            return Refuse("That person does not exist.", 404);
        }
        if (person.Kind == PersonKind.Guest || person.UserId is null || person.MergedIntoId is not null)
        {
            return Refuse("Only people with an account or a site's sign-in can be followed or muted.");
        }
        if (person.UserId == userId)
        {
            return Refuse("You cannot follow or mute yourself.");
        }
        if (!await PersonFollows.SetAsync(db, userId, person, state == "none" ? null : state, clock.GetUtcNow().UtcDateTime, ct))
        {
            return Refuse($"You follow or muted {PersonFollows.MaxPerSite} people on that site already: stop following or unmute someone first.", 409);
        }
        return TypedResults.Redirect(long.TryParse(form["back"], NumberStyles.None, CultureInfo.InvariantCulture, out var back)
            ? $"/account/people/{back}" : "/account/people");
    }
}
