using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.People;

/// <summary>
/// Badges a person has earned on the site, put on their comments when a page is read, so a comment written last year
/// shows what its author is now: "regular" (trust level 2), "newcomer" (first comment here within
/// <see cref="TrustOptions.NewcomerDays"/>), and the team's role badges (author, moderator) of someone given a role
/// after they wrote. One query per page, an IN-list of the page's author keys on the (site, key) index.
/// </summary>
/// <remarks>
/// "newcomer" is public, as Discourse shows "new user" to everyone: the point is that the whole community, not only
/// the team, sees who is new and greets them; it says nothing a reader could not tell from the thread itself. The
/// team's private marker ("first comment here") is on the moderation page only.
/// Cached pages (<see cref="ThreadPageCache"/>) are dropped by writes to their own thread; a badge moved by a write
/// elsewhere (a reply on another page, a role given) reaches them within <see cref="Lag"/>, because the page's cache
/// variant carries the window of that length it was built in.
/// </remarks>
public static class EarnedBadges
{
    public const string Regular = "regular";
    public const string Newcomer = "newcomer";

    /// <summary>The longest a cached page shows badges as they were: a new window, a new cache variant.</summary>
    public static readonly TimeSpan Lag = TimeSpan.FromMinutes(5);

    /// <summary>The window a page read at <paramref name="now"/> belongs to, for its cache variant.</summary>
    public static long Window(DateTimeOffset now) => now.UtcTicks / Lag.Ticks;

    sealed record Standing(string Key, int TrustLevel, DateTime? FirstCommentAt, SiteRole? Role);

    /// <summary>Adds the earned badges to the page's comments, in place. Tombstones have no author and get none.</summary>
    public static async Task AddToAsync(HearthDb db, long siteId, List<CommentResponse> page, IReadOnlyList<string?> authorKeys,
        TrustOptions trust, DateTime now, CancellationToken ct)
    {
        var keys = authorKeys.Where(k => !string.IsNullOrEmpty(k)).Distinct().Cast<string>().ToList();
        if (keys.Count == 0)
        {
            return;
        }
        var standings = await db.People.AsNoTracking()
            .Where(p => p.SiteId == siteId && keys.Contains(p.Key))
            .Select(p => new Standing(p.Key, p.TrustLevel, p.FirstCommentAt,
                db.SiteMembers.Where(m => m.SiteId == siteId && m.UserId == p.UserId).Select(m => m.Role).FirstOrDefault()))
            .ToDictionaryAsync(s => s.Key, ct);
        var newSince = DateTime.SpecifyKind(now, DateTimeKind.Utc).AddDays(-trust.NewcomerDays);
        for (var i = 0; i < page.Count; i++)
        {
            if (page[i].Author is not { } author || authorKeys[i] is not { } key || !standings.TryGetValue(key, out var standing))
            {
                continue;
            }
            var earned = For(standing, newSince);
            if (earned.Count == 0)
            {
                continue;
            }
            var badges = author.Badges.ToList();
            badges.AddRange(earned.Where(b => !badges.Contains(b)));
            page[i] = page[i] with { Author = author with { Badges = badges } };
        }
    }

    static List<string> For(Standing s, DateTime newSince) => For(s.Role, s.TrustLevel, s.FirstCommentAt, newSince);

    /// <summary>
    /// What someone's comments on a site carry beyond what they were written with: their role's badges, then "regular" or
    /// "newcomer". Also what the community page and a profile's communities show of them.
    /// </summary>
    public static List<string> For(SiteRole? role, int trustLevel, DateTime? firstCommentAt, DateTime newSince)
    {
        List<string> earned = [.. RoleBadges.For(role, isAdmin: false)];
        if (trustLevel >= TrustLevels.Regular)
        {
            earned.Add(Regular);
        }
        // The team is not new to its own site, whenever its members first wrote.
        else if (role is null && firstCommentAt is { } first && DateTime.SpecifyKind(first, DateTimeKind.Utc) >= newSince)
        {
            earned.Add(Newcomer);
        }
        return earned;
    }
}
