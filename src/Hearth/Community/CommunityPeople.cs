using Hearth.Conversations;
using Hearth.Identity;
using Hearth.People;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Community;

/// <summary>
/// Someone as the community page shows them: the name their comments show, a link to their public profile if they have
/// one, the badges their comments carry, when they first commented here, and (for top contributors) their recent comments. Never an address, a key or an account id beyond the
/// profile's own address.
/// </summary>
public sealed record CommunityPerson(string Name, string? ProfileUrl, IReadOnlyList<string> Badges, DateTime Since, int? Comments = null);

public sealed record CommunityPeopleLists(IReadOnlyList<CommunityPerson> TopContributors, IReadOnlyList<CommunityPerson> RecentlyJoined,
    IReadOnlyList<CommunityPerson> Regulars);

/// <summary>
/// The people lists of a site's community page, from the site's person records (<see cref="Person"/>) and its public
/// comments. Everyone listed has at least one public comment there now; people merged into another are left out (the
/// one they became is listed), and a deleted account's records are gone, so it is too. Each list reads a bounded
/// number of rows from an index, whatever the size of the site.
/// </summary>
public static class CommunityPeople
{
    /// <summary>The days "top contributors" and "recently joined" look back.</summary>
    public const int Days = 30;

    /// <summary>Top contributors are counted over at most this many of the site's latest public comments of those days.</summary>
    public const int RecentComments = 2000;

    /// <summary>Each list looks at this many candidates from its index, at most, before leaving out those with nothing public.</summary>
    const int Candidates = 200;
    public const int PerList = 10;

    sealed record Row(string Key, string Name, long? UserId, long? SsoSiteId, string? DisplayName, int TrustLevel, DateTime? FirstCommentAt,
        DateTime? LastCommentAt, SiteRole? Role);

    public static async Task<CommunityPeopleLists> ListAsync(HearthDb db, long siteId, TrustOptions trust, DateTime now, CancellationToken ct)
    {
        now = DateTime.SpecifyKind(now, DateTimeKind.Utc);
        var since = now.AddDays(-Days);
        var listed = db.People.AsNoTracking().Where(p => p.SiteId == siteId && p.MergedIntoId == null && p.Approved > 0);

        var counted = await db.Comments.AsNoTracking()
            .Where(c => c.SiteId == siteId && c.Status == CommentStatus.Published && c.CreatedAt >= since)
            .OrderByDescending(c => c.CreatedAt)
            .Take(RecentComments)
            .Select(c => c.Author.Key)
            .GroupBy(k => k)
            .Select(g => new { Key = g.Key, Count = g.Count() })
            .Where(g => g.Key != "")
            .OrderByDescending(g => g.Count).ThenBy(g => g.Key)
            // Some of the busiest keys may be no one's now (a former member's comments each carry a key of their own).
            .Take(Candidates)
            .ToListAsync(ct);
        var countedKeys = counted.Select(c => c.Key).ToList();
        var top = await Rows(db, listed.Where(p => countedKeys.Contains(p.Key)), siteId).ToListAsync(ct);
        var counts = counted.ToDictionary(c => c.Key, c => c.Count);

        var joined = await Rows(db, listed
                .Where(p => db.People.Where(q => q.SiteId == siteId && q.FirstCommentAt >= since)
                    .OrderByDescending(q => q.FirstCommentAt).Take(Candidates).Select(q => q.Id).Contains(p.Id))
                .OrderByDescending(p => p.FirstCommentAt).ThenByDescending(p => p.Id).Take(PerList), siteId)
            .ToListAsync(ct);

        var regulars = await Rows(db, listed
                .Where(p => db.People.Where(q => q.SiteId == siteId && q.TrustLevel == TrustLevels.Regular)
                    .OrderByDescending(q => q.LastCommentAt).Take(Candidates).Select(q => q.Id).Contains(p.Id))
                .OrderByDescending(p => p.LastCommentAt).ThenByDescending(p => p.Id).Take(PerList), siteId)
            .ToListAsync(ct);

        var newSince = now.AddDays(-trust.NewcomerDays);
        return new CommunityPeopleLists(
            [.. top.OrderByDescending(r => counts[r.Key]).ThenByDescending(r => r.LastCommentAt).ThenBy(r => r.Key, StringComparer.Ordinal).Take(PerList)
                .Select(r => Person(r, newSince, r.FirstCommentAt, counts[r.Key]))],
            [.. joined.OrderByDescending(r => r.FirstCommentAt).Select(r => Person(r, newSince, r.FirstCommentAt, null))],
            [.. regulars.OrderByDescending(r => r.LastCommentAt).Select(r => Person(r, newSince, r.FirstCommentAt, null))]);
    }

    static IQueryable<Row> Rows(HearthDb db, IQueryable<Person> people, long siteId) =>
        from p in people
        join u in db.Users on p.UserId equals u.Id into users
        from u in users.DefaultIfEmpty()
        select new Row(p.Key, p.Name, p.UserId, u.SsoSiteId, u.DisplayName, p.TrustLevel, p.FirstCommentAt, p.LastCommentAt,
            db.SiteMembers.Where(m => m.SiteId == siteId && m.UserId == p.UserId).Select(m => m.Role).FirstOrDefault());

    static CommunityPerson Person(Row r, DateTime newSince, DateTime? since, int? comments) => new(
        // A member's comments show their profile's name as it is now; a guest's and a site sign-in's, the name they last wrote under.
        r.UserId is not null && HearthUser.HasPublicProfile(r.SsoSiteId) && r.DisplayName is { } display ? display : r.Name,
        // Only to a user that is there: a person whose account is gone has no page.
        r.UserId is { } id && r.DisplayName is not null && HearthUser.HasPublicProfile(r.SsoSiteId) ? $"/people/{id}" : null,
        EarnedBadges.For(r.Role, r.TrustLevel, r.FirstCommentAt, newSince),
        DateTime.SpecifyKind(since ?? default, DateTimeKind.Utc),
        comments);
}
