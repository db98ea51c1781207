using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Community;

/// <summary>A conversation as the community page and Explore list it: public facts only, linking to the page on its own site.</summary>
public sealed record LivelyConversation(string Site, string Title, string Url, int People, int Comments, DateTime LastCommentAt);

/// <summary>
/// How lively a site's conversations are. A conversation's liveliness is, among the site's latest
/// <see cref="RecentComments"/> public comments of the last <see cref="Days"/> days: how many different people wrote
/// them, then how many there are, then how recent the latest is. Only published comments count (nothing held, marked
/// spam, rejected, hidden by a shadow ban or deleted), and each author key counts once.
/// </summary>
/// <remarks>
/// The read is one statement that walks the (site, status, created) index newest first and stops after
/// <see cref="RecentComments"/> rows, so it costs the same on a site with a thousand comments or a million: on a site
/// busier than that in a week, liveliness is measured over its most recent comments, which is what "lively now" means.
/// </remarks>
public static class Liveliness
{
    public const int Days = 7;
    public const int RecentComments = 1000;
    public const int PerSite = 10;

    public static async Task<IReadOnlyList<LivelyConversation>> OfSiteAsync(HearthDb db, long siteId, string siteName, DateTime now, CancellationToken ct)
    {
        var since = DateTime.SpecifyKind(now, DateTimeKind.Utc).AddDays(-Days);
        var recent = db.Comments.AsNoTracking()
            .Where(c => c.SiteId == siteId && c.Status == CommentStatus.Published && c.CreatedAt >= since)
            .OrderByDescending(c => c.CreatedAt)
            .Take(RecentComments)
            .Select(c => new { c.ThreadId, c.Author.Key, c.CreatedAt });
        var rows = await (
            from g in recent.GroupBy(c => c.ThreadId)
            select new { ThreadId = g.Key, People = g.Select(c => c.Key).Distinct().Count(), Comments = g.Count(), Last = g.Max(c => c.CreatedAt) } into x
            orderby x.People descending, x.Comments descending, x.Last descending, x.ThreadId descending
            select x)
            .Take(PerSite)
            .Join(db.Threads.AsNoTracking(), x => x.ThreadId, t => t.Id, (x, t) => new { x.People, x.Comments, x.Last, x.ThreadId, t.Title, t.Url })
            .ToListAsync(ct);
        return [.. rows
            .OrderByDescending(x => x.People).ThenByDescending(x => x.Comments).ThenByDescending(x => x.Last).ThenByDescending(x => x.ThreadId)
            .Select(x => new LivelyConversation(siteName, x.Title ?? x.Url, x.Url, x.People, x.Comments, DateTime.SpecifyKind(x.Last, DateTimeKind.Utc)))];
    }

    /// <summary>The order of conversations gathered from several sites, the same rule as within one.</summary>
    public static IEnumerable<LivelyConversation> Ranked(IEnumerable<LivelyConversation> conversations) =>
        conversations.OrderByDescending(c => c.People).ThenByDescending(c => c.Comments).ThenByDescending(c => c.LastCommentAt)
            .ThenBy(c => c.Site, StringComparer.Ordinal).ThenBy(c => c.Url, StringComparer.Ordinal);
}
