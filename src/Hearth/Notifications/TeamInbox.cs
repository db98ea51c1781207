using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Notifications;

/// <summary>A site the person runs, and how many of its comments are new to them (up to <see cref="TeamInbox.UnreadCountLimit"/>).</summary>
public sealed record TeamSite(long Id, string Name, int Unread);

/// <summary>
/// One comment on a site the person runs. <see cref="Answers"/> names whom it answers, when it is a reply to a comment
/// that is still public.
/// </summary>
public sealed record TeamItem(long Id, string Site, InboxThread Thread, string AuthorName, string? Answers, string Html, DateTime CreatedAt, bool New);

/// <summary>
/// A page of the team inbox, newest first. <see cref="Next"/> is the cursor (before=) of the page after, null at the end;
/// <see cref="MoreSites"/> says the person runs more sites than one page of the inbox looks at.
/// </summary>
public sealed record TeamSlice(IReadOnlyList<TeamItem> Items, IReadOnlyList<TeamSite> Sites, long? Next, bool MoreSites)
{
    public int Unread => Math.Min(Sites.Sum(s => s.Unread), TeamInbox.UnreadCountLimit);
}

/// <summary>
/// The inbox of a site's team: every comment published on the sites the person runs (owner or moderator, or all of them
/// for an admin), from every site at once, newest first, except their own. What is new is told by one read mark per
/// person and site (<see cref="TeamReadMark"/>), so a busy site writes nothing per comment for its team.
/// </summary>
/// <remarks>
/// Each site is read on its own, by the index on (site, status, date), a page at a time: a query over several sites at
/// once ordered by date would sort every comment they hold. So the work of one request is bounded by the number of
/// sites it looks at, which is at most <see cref="MaxSites"/>; a person who runs more opens one site at a time.
/// </remarks>
public sealed class TeamInbox(HearthDb db, TimeProvider clock)
{
    public const int MaxSites = 20;
    public const int PageSize = 30;
    public const int UnreadCountLimit = 100;

    /// <summary>"Waiting for an answer" looks among this many of each site's newest comments.</summary>
    public const int WaitingLookBack = 200;

    /// <summary>
    /// The sites the person runs, by name, up to <see cref="MaxSites"/> (and one more, to tell there are more). An admin
    /// runs every site; the ones they are on the team of come first.
    /// </summary>
    public async Task<List<(long Id, string Name)>> SitesAsync(long userId, CancellationToken ct)
    {
        var admin = await db.Users.Where(u => u.Id == userId).Select(u => u.IsAdmin).FirstOrDefaultAsync(ct);
        var mine = db.SiteMembers.Where(m => m.UserId == userId && m.Role != null).Select(m => m.SiteId);
        var rows = await db.Sites.AsNoTracking().Where(s => admin || mine.Contains(s.Id))
            .OrderBy(s => mine.Contains(s.Id) ? 0 : 1).ThenBy(s => s.Name)
            .Select(s => new { s.Id, s.Name }).Take(MaxSites + 1).ToListAsync(ct);
        return [.. rows.Select(r => (r.Id, r.Name))];
    }

    /// <summary>The site by that name, if the person runs it (any of theirs, also past the first <see cref="MaxSites"/>).</summary>
    public async Task<(long Id, string Name)?> RunsAsync(long userId, string name, CancellationToken ct)
    {
        var found = await db.Sites.AsNoTracking().Where(s => s.Name == name
                && (db.Users.Any(u => u.Id == userId && u.IsAdmin) || db.SiteMembers.Any(m => m.SiteId == s.Id && m.UserId == userId && m.Role != null)))
            .Select(s => new { s.Id, s.Name }).FirstOrDefaultAsync(ct);
        return found is null ? null : (found.Id, found.Name);
    }

    /// <summary>Whether the person runs any site: whether their inbox offers the team's.</summary>
    public Task<bool> RunsAnyAsync(long userId, CancellationToken ct) =>
        db.Users.AnyAsync(u => u.Id == userId && (u.IsAdmin || db.SiteMembers.Any(m => m.UserId == userId && m.Role != null)), ct);

    /// <param name="sites">Every site the person runs, from <see cref="SitesAsync"/>.</param>
    /// <param name="only">One of them, to read only that one (any of them, also past the first <see cref="MaxSites"/>).</param>
    /// <param name="before">A comment of an earlier page: the page after it.</param>
    /// <param name="waiting">Only comments nobody has answered yet.</param>
    public async Task<TeamSlice> ReadAsync(long userId, IReadOnlyList<(long Id, string Name)> sites, long? only, long? before, bool waiting,
        int limit, CancellationToken ct)
    {
        var take = Math.Clamp(limit, 1, PageSize);
        var more = sites.Count > MaxSites;
        var looked = sites.Take(MaxSites).ToList();
        var read = only is { } one ? sites.Where(s => s.Id == one).ToList() : looked;
        var counted = looked.Concat(read.Where(r => !looked.Contains(r))).ToList();
        var ids = counted.Select(s => s.Id).ToList();
        var marks = await db.Set<TeamReadMark>().AsNoTracking().Where(m => m.UserId == userId && ids.Contains(m.SiteId))
            .ToDictionaryAsync(m => m.SiteId, m => m.ReadThrough, ct);

        (DateTime At, long Id)? cursor = null;
        if (before is { } b)
        {
            var readIds = read.Select(s => s.Id).ToList();
            var at = await db.Comments.Where(c => c.Id == b && readIds.Contains(c.SiteId)).Select(c => (DateTime?)c.CreatedAt).FirstOrDefaultAsync(ct);
            // A comment that is not on these sites is no place to start from: the first page, rather than another site's dates.
            cursor = at is { } found ? (found, b) : null;
        }

        var rows = new List<Row>();
        foreach (var site in read)
        {
            rows.AddRange(await PageOfAsync(userId, site.Id, site.Name, cursor, waiting, take + 1, ct));
        }
        var page = rows.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(take + 1).ToList();
        var shown = page.Take(take).ToList();

        var answered = shown.Select(r => r.ReplyToId ?? r.ParentId).OfType<long>().Distinct().ToList();
        var names = answered.Count == 0 ? [] : await db.Comments.AsNoTracking()
            .Where(c => answered.Contains(c.Id) && c.Status == CommentStatus.Published)
            .ToDictionaryAsync(c => c.Id, c => c.Author.Name, ct);

        var counts = new List<TeamSite>();
        foreach (var site in counted)
        {
            counts.Add(new TeamSite(site.Id, site.Name, await UnreadAsync(userId, site.Id, marks.GetValueOrDefault(site.Id), ct)));
        }
        var items = shown.Select(r => new TeamItem(r.Id, r.Site, new InboxThread(r.ThreadId, r.Url, r.Title, r.Identifier), r.AuthorName,
            (r.ReplyToId ?? r.ParentId) is { } to ? names.GetValueOrDefault(to) : null, r.Html, r.CreatedAt,
            New: !marks.TryGetValue(r.SiteId, out var mark) || r.CreatedAt > mark)).ToList();
        return new TeamSlice(items, counts, page.Count > take ? shown[^1].Id : null, more);
    }

    sealed record Row(long Id, long SiteId, string Site, long ThreadId, string Url, string? Title, string? Identifier, long? ParentId,
        long? ReplyToId, string AuthorName, string Html, DateTime CreatedAt);

    async Task<List<Row>> PageOfAsync(long userId, long siteId, string site, (DateTime At, long Id)? cursor, bool waiting, int take,
        CancellationToken ct)
    {
        var theirs = Public(userId, siteId);
        if (cursor is { } c)
        {
            var (at, id) = c;
            theirs = theirs.Where(x => x.CreatedAt < at || (x.CreatedAt == at && x.Id < id));
        }
        theirs = theirs.OrderByDescending(x => x.CreatedAt).ThenByDescending(x => x.Id);
        if (waiting)
        {
            // Among the newest only, so a site whose every comment has an answer costs a bounded read, not its history.
            theirs = theirs.Take(WaitingLookBack)
                .Where(x => !db.Comments.Any(r => (r.ParentId == x.Id || r.ReplyToId == x.Id) && r.Status == CommentStatus.Published))
                .OrderByDescending(x => x.CreatedAt).ThenByDescending(x => x.Id);
        }
        return await (
            from x in theirs.Take(take)
            join t in db.Threads on x.ThreadId equals t.Id
            select new Row(x.Id, x.SiteId, site, t.Id, t.Url, t.Title, t.Identifier, x.ParentId, x.ReplyToId, x.Author.Name, x.Html, x.CreatedAt))
            .ToListAsync(ct);
    }

    IQueryable<Comment> Public(long userId, long siteId) => db.Comments.AsNoTracking()
        .Where(c => c.SiteId == siteId && c.Status == CommentStatus.Published && (c.Author.UserId == null || c.Author.UserId != userId));

    Task<int> UnreadAsync(long userId, long siteId, DateTime? mark, CancellationToken ct)
    {
        var theirs = Public(userId, siteId);
        if (mark is { } m)
        {
            theirs = theirs.Where(c => c.CreatedAt > m);
        }
        return theirs.Take(UnreadCountLimit).CountAsync(ct);
    }

    /// <summary>
    /// What was published on these sites up to <paramref name="through"/> (the newest comment the page showed; never
    /// later than now) is read by the person: what arrived after the page was drawn stays new.
    /// </summary>
    public async Task<DateTime> MarkReadAsync(long userId, IReadOnlyCollection<long> siteIds, DateTime? through, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (through is { } shown && shown < now)
        {
            now = shown;
        }
        var marks = db.Set<TeamReadMark>();
        await marks.Where(m => m.UserId == userId && siteIds.Contains(m.SiteId)).ExecuteUpdateAsync(u => u.SetProperty(m => m.ReadThrough, now), ct);
        var have = await marks.Where(m => m.UserId == userId && siteIds.Contains(m.SiteId)).Select(m => m.SiteId).ToListAsync(ct);
        var missing = siteIds.Except(have).ToList();
        if (missing.Count > 0)
        {
            marks.AddRange(missing.Select(s => new TeamReadMark { UserId = userId, SiteId = s, ReadThrough = now }));
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // The same form sent twice at once: the other one wrote its mark at this moment too.
                db.ChangeTracker.Clear();
            }
        }
        return now;
    }
}
