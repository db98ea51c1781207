using System.Globalization;
using System.Text;
using Hearth.Identity;
using Hearth.People;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Accounts;

/// <summary>
/// The communities a member's public profile shows: only the sites they ticked on /account/communities (none until they
/// do), and only while the site lets its comments be listed on profiles. Each with what the person's comments there
/// carry: how many are public, since when, and the badges.
/// </summary>
public static class ProfileCommunities
{
    sealed record Membership(long SiteId, string Site, bool SiteAllows, bool Shown, int Approved, DateTime? FirstCommentAt, int TrustLevel,
        SiteRole? Role, bool CommunityPage);

    /// <summary>The sites the person commented on with their account, each once (a claimed guest's rows were merged into it).</summary>
    static IQueryable<Membership> Memberships(HearthDb db, long userId, bool shownOnly = false) =>
        from p in db.People.AsNoTracking()
        where p.UserId == userId && p.MergedIntoId == null && p.Approved > 0
        join s in db.Sites.AsNoTracking() on p.SiteId equals s.Id
        where !shownOnly || (p.ShowOnProfile && s.ListOnProfiles)
        orderby s.Name
        select new Membership(s.Id, s.Name, s.ListOnProfiles, p.ShowOnProfile, p.Approved, p.FirstCommentAt, p.TrustLevel,
            db.SiteMembers.Where(m => m.SiteId == s.Id && m.UserId == userId).Select(m => m.Role).FirstOrDefault(), s.CommunityPage);

    /// <summary>The profile's section, empty when nothing is to be shown.</summary>
    public static async Task<string> SectionAsync(HearthDb db, long userId, TrustOptions trust, DateTime now, CancellationToken ct)
    {
        var shown = await Memberships(db, userId, shownOnly: true).Take(100).ToListAsync(ct);
        if (shown.Count == 0)
        {
            return "";
        }
        var newSince = DateTime.SpecifyKind(now, DateTimeKind.Utc).AddDays(-trust.NewcomerDays);
        var list = new StringBuilder("<ul class=\"people communities\">");
        foreach (var m in shown)
        {
            var name = m.CommunityPage ? $"<a class=\"name\" href=\"/sites/{Uri.EscapeDataString(m.Site)}/community\">{E(m.Site)}</a>" : $"<span class=\"name\">{E(m.Site)}</span>";
            var badges = string.Concat(EarnedBadges.For(m.Role, m.TrustLevel, m.FirstCommentAt, newSince).Select(b => $" <span class=\"badge\">{E(b)}</span>"));
            var since = m.FirstCommentAt is { } first ? string.Create(CultureInfo.InvariantCulture, $" since <time datetime=\"{first:O}\">{first:MMMM yyyy}</time>") : "";
            list.Append(CultureInfo.InvariantCulture, $"<li>{name}{badges} <span class=\"muted\">{m.Approved} {(m.Approved == 1 ? "comment" : "comments")}{since}</span></li>");
        }
        return $"<h2>Communities</h2>{list}</ul>";
    }

    public static async Task<IResult> FormAsync(HttpContext http, HearthDb db, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin?returnUrl=%2Faccount%2Fcommunities");
        }
        return Form(http, userId, await Memberships(db, userId).Take(500).ToListAsync(ct), saved: false);
    }

    /// <summary>Binding the form checks its anti-forgery token. Each ticked box names a site; every other site of the person is hidden.</summary>
    public static async Task<IResult> SaveAsync(HttpContext http, IFormCollection form, HearthDb db, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin?returnUrl=%2Faccount%2Fcommunities");
        }
        var chosen = form["show"].Select(v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0)
            .Where(id => id > 0).Distinct().Take(500).ToList();
        // Only the person's own rows: another's site id, or one they never commented on, matches nothing.
        await db.People.Where(p => p.UserId == userId).ExecuteUpdateAsync(u => u.SetProperty(p => p.ShowOnProfile, p => chosen.Contains(p.SiteId)), ct);
        return Form(http, userId, await Memberships(db, userId).Take(500).ToListAsync(ct), saved: true);
    }

    static IResult Form(HttpContext http, long userId, List<Membership> memberships, bool saved)
    {
        var boxes = new StringBuilder();
        foreach (var m in memberships)
        {
            var id = m.SiteId.ToString(CultureInfo.InvariantCulture);
            var count = m.Approved == 1 ? "1 comment" : $"{m.Approved} comments";
            boxes.Append(m.SiteAllows
                ? $"""<label><input type="checkbox" name="show" value="{id}"{(m.Shown ? " checked" : "")}> <span>{E(m.Site)} <span class="hint">· {count}</span></span></label>"""
                : $"""<label><input type="checkbox" disabled> <span>{E(m.Site)} <span class="hint">· this site keeps itself off profiles</span></span></label>""");
        }
        var body = memberships.Count == 0
            ? "<p class=\"muted\">You have no public comment with this account on any site yet.</p>"
            : $"""
                <form method="post" action="/account/communities">{Csrf(http)}
                <fieldset><legend>Show on my public profile</legend>{boxes}</fieldset>
                <button type="submit">Save</button>
                </form>
                """;
        return Page(http, "Your communities", $"""
            {(saved ? "<p role=\"status\" id=\"saved\">Saved.</p>" : "")}
            <p class="hint">The sites you comment on. Your <a href="/people/{userId}">public profile</a> lists only those you tick here, with how many comments you wrote there, since when, and your badges.</p>
            {body}
            <p class="muted"><a href="/account">Back to your account</a></p>
            """);
    }
}
