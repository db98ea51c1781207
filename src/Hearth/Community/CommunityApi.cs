using Hearth.People;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Hearth.Community;

public sealed record CommunityResponse(string Site, int Days, IReadOnlyList<LivelyConversation> Active, IReadOnlyList<CommunityPerson> TopContributors,
    IReadOnlyList<CommunityPerson> RecentlyJoined, IReadOnlyList<CommunityPerson> Regulars);

/// <summary>A site's community as everyone may see it: the same for every reader, so it is computed once per node and kept briefly.</summary>
public static class CommunitySnapshot
{
    public static async Task<CommunityResponse> ReadAsync(HearthDb db, CommunityCache cache, Site site, TrustOptions trust, DateTime now, CancellationToken ct)
    {
        var active = await cache.GetAsync($"lively:{site.Id}", () => Liveliness.OfSiteAsync(db, site.Id, site.Name, now, ct));
        var people = await cache.GetAsync($"people:{site.Id}", () => CommunityPeople.ListAsync(db, site.Id, trust, now, ct));
        return new CommunityResponse(site.Name, Liveliness.Days, active, people.TopContributors, people.RecentlyJoined, people.Regulars);
    }
}

/// <summary>
/// The public JSON of the community page and of Explore. Nothing here is private: the people to welcome are the team's
/// (GET .../people/newcomers, and the team's view of the page on the account pages).
/// </summary>
public static class CommunityApi
{
    public static RouteGroupBuilder MapCommunity(this RouteGroupBuilder site)
    {
        site.MapGet("/community", Read).WithTags("Community")
            .WithSummary($"The site's community page as JSON, when its owner turned it on: {{ site, days, active: [{{ site, title, url, people, comments, lastCommentAt }}], topContributors, recentlyJoined, regulars: [{{ name, profileUrl?, badges, since, comments? }}] }}.");
        return site;
    }

    public static void MapExploreApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/explore", ExploreAsync).WithTags("Community")
            .WithSummary($"The liveliest conversations of the sites listed on Explore: {{ days, conversations: [{{ site, title, url, people, comments, lastCommentAt }}] }}, at most {Explore.Shown}.");

    static async Task<Results<Ok<CommunityResponse>, ProblemHttpResult>> Read(HttpContext http, HearthDb db, CommunityCache cache,
        IOptions<HearthOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var site = http.Site();
        if (!site.CommunityPage)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "community_page_off", "This site does not publish a community page.");
        }
        return TypedResults.Ok(await CommunitySnapshot.ReadAsync(db, cache, site, options.Value.Trust, clock.GetUtcNow().UtcDateTime, ct));
    }

    static async Task<Ok<ExploreResponse>> ExploreAsync(HearthDb db, CommunityCache cache, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(await cache.GetAsync("explore", () => Explore.ListAsync(db, cache, clock.GetUtcNow().UtcDateTime, ct)));
}
