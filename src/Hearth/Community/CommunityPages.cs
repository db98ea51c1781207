using Hearth.Accounts;
using Hearth.Identity;
using Hearth.People;
using Hearth.Sites;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static Hearth.Accounts.AccountHtml;
using static Hearth.Community.CommunityHtml;

namespace Hearth.Community;

/// <summary>
/// The community page of a site (/sites/{site}/community), public when its owner turned it on; the same page for the
/// site's team with the people to welcome (/account/moderate/{site}/community, where the account cookie reaches, whether
/// or not the public page is on); and Explore (/explore). Server-drawn, no script.
/// </summary>
public static class CommunityPages
{
    public static void MapCommunityPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sites/{site}/community", PublicAsync).ExcludeFromDescription();
        app.MapGet("/account/moderate/{site}/community", TeamAsync).ExcludeFromDescription();
        app.MapGet("/explore", ExploreAsync).ExcludeFromDescription();
    }

    static async Task<IResult> PublicAsync(HttpContext http, string site, SiteDirectory sites, HearthDb db, CommunityCache cache,
        IOptions<HearthOptions> options, TimeProvider clock, CancellationToken ct)
    {
        // A site without a public page and no site at all look the same.
        if (await sites.FindAsync(site, ct) is not { CommunityPage: true } found)
        {
            return Page(http, "Not found", "<p>There is no community page here.</p><p><a href=\"/explore\">Explore conversations</a></p>", status: 404);
        }
        var community = await CommunitySnapshot.ReadAsync(db, cache, found, options.Value.Trust, clock.GetUtcNow().UtcDateTime, ct);
        return Page(http, $"The community of {found.Name}", Body(community, welcome: null));
    }

    static async Task<IResult> TeamAsync(HttpContext http, string site, HearthDb db, CommunityCache cache, IOptions<HearthOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin?returnUrl=" + Uri.EscapeDataString($"/account/moderate/{site}/community"));
        }
        // Someone else's site and a site that does not exist look the same.
        if (!(await ApiTokens.SitesAsync(db, userId, ct)).Contains(site))
        {
            return Moderation.ModerationPage.NoSuchSite(http);
        }
        var entity = await db.Sites.AsNoTracking().FirstAsync(s => s.Name == site, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var community = await CommunitySnapshot.ReadAsync(db, cache, entity, options.Value.Trust, now, ct);
        var newcomers = await Newcomers.ListAsync(db, entity.Id, options.Value.Trust, now, ct);
        var name = Uri.EscapeDataString(site);
        var state = entity.CommunityPage
            ? $"<p class=\"notice\">This is the <a href=\"/sites/{name}/community\">public community page</a> as your team sees it: only you see the people to welcome.</p>"
            : $"<p class=\"notice\">The public community page is off: only the team sees this. Owners turn it on in the <a href=\"/account/moderate/{name}/settings\">settings</a>.</p>";
        return Page(http, $"The community of {site}", state + Body(community, newcomers)
            + $"<p class=\"muted\"><a href=\"/account/moderate/{name}\">Back to moderating</a></p>");
    }

    static async Task<IResult> ExploreAsync(HttpContext http, HearthDb db, CommunityCache cache, TimeProvider clock, CancellationToken ct)
    {
        var explore = await cache.GetAsync("explore", () => Explore.ListAsync(db, cache, clock.GetUtcNow().UtcDateTime, ct));
        return Page(http, "Explore", $"""
            <p class="hint">The liveliest conversations of the last {Liveliness.Days} days on the sites of this Hearth that chose to be listed:
            the most people taking part first, then the most comments.</p>
            {CommunityHtml.Conversations(explore.Conversations, showSite: true, "No listed site has a lively conversation this week.")}
            """);
    }

    static string Body(CommunityResponse c, IReadOnlyList<NewcomerResponse>? welcome) => $"""
        <p class="hint">Who takes part on {E(c.Site)}, from what they wrote in public.</p>
        <section aria-labelledby="active"><h2 id="active">Lively conversations</h2>
        <p class="hint">The most people taking part in the last {c.Days} days first.</p>
        {CommunityHtml.Conversations(c.Active, showSite: false, "No conversation this week yet.")}</section>
        {(welcome is null ? "" : $"""<section aria-labelledby="welcome"><h2 id="welcome">People to welcome</h2><p class="hint">Their first comment here has no answer yet. Only the team sees this list.</p>{Welcome(welcome)}</section>""")}
        <section aria-labelledby="top"><h2 id="top">Top contributors</h2>
        <p class="hint">The most comments in the last {CommunityPeople.Days} days.</p>
        {CommunityHtml.People(c.TopContributors, p => Count(p.Comments ?? 0, "comment", "comments"), "Nobody has commented this month yet.")}</section>
        <section aria-labelledby="joined"><h2 id="joined">Recently joined</h2>
        {CommunityHtml.People(c.RecentlyJoined, p => "first comment " + When(p.Since), "Nobody new this month.")}</section>
        <section aria-labelledby="regulars"><h2 id="regulars">Regulars</h2>
        {CommunityHtml.People(c.Regulars, p => "since " + When(p.Since), "No regulars yet.")}</section>
        """;
}
