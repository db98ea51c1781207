using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Community;

public sealed record ExploreResponse(int Days, IReadOnlyList<LivelyConversation> Conversations);

/// <summary>
/// The liveliest conversations across the sites that opted in (<see cref="Sites.Site.ListOnExplore"/>), by the same rule
/// as a site's community page (<see cref="Liveliness"/>). Bounded however large the instance: one statement finds the
/// opted-in sites with a public comment in the last days (one index look-up each, for the newest), of which the
/// <see cref="MaxSites"/> most recently active are read, each as its community page reads it (and from the same cache).
/// </summary>
public static class Explore
{
    public const int MaxSites = 20;
    public const int Shown = 20;

    public static async Task<ExploreResponse> ListAsync(HearthDb db, CommunityCache cache, DateTime now, CancellationToken ct)
    {
        var since = DateTime.SpecifyKind(now, DateTimeKind.Utc).AddDays(-Liveliness.Days);
        var sites = await db.Sites.AsNoTracking()
            .Where(s => s.ListOnExplore)
            .Select(s => new
            {
                s.Id,
                s.Name,
                Latest = db.Comments.Where(c => c.SiteId == s.Id && c.Status == CommentStatus.Published).Max(c => (DateTime?)c.CreatedAt),
            })
            .Where(s => s.Latest >= since)
            .OrderByDescending(s => s.Latest).ThenBy(s => s.Id)
            .Take(MaxSites)
            .ToListAsync(ct);
        var gathered = new List<LivelyConversation>();
        foreach (var site in sites)
        {
            gathered.AddRange(await cache.GetAsync($"lively:{site.Id}", () => Liveliness.OfSiteAsync(db, site.Id, site.Name, now, ct)));
        }
        return new ExploreResponse(Liveliness.Days, [.. Liveliness.Ranked(gathered).Take(Shown)]);
    }
}
