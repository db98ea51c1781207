using System.Text.Json;
using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Accounts;

/// <remarks>
/// The comments, votes and notifications, which grow with the years, are read a page at a time as the file is written,
/// never held whole: serialise with <see cref="JsonSerializer.SerializeAsync{TValue}(Stream, TValue, JsonSerializerOptions?, CancellationToken)"/>.
/// </remarks>
public sealed record ExportedAccount(
    ExportedProfile Profile,
    IReadOnlyList<ExportedMembership> Sites,
    IAsyncEnumerable<ExportedComment> Comments,
    IAsyncEnumerable<ExportedVote> Votes,
    IReadOnlyList<ExportedSession> Sessions,
    IReadOnlyList<ExportedLogin> Logins,
    DateTime ExportedAt)
{
    /// <summary>What each site counts of them, and of the guests they were before they claimed those comments.</summary>
    public IReadOnlyList<ExportedPerson> People { get; init; } = [];

    /// <summary>Replies to them that Hearth told them of (the words are the comments', in their threads).</summary>
    public IAsyncEnumerable<ExportedNotification> Notifications { get; init; } = AsyncEnumerable.Empty<ExportedNotification>();

    /// <summary>The people they follow or muted, per site.</summary>
    public IReadOnlyList<ExportedPersonFollow> PersonFollows { get; init; } = [];

    /// <summary>How each kind of notification reaches them by e-mail (immediately, hourly, daily or never).</summary>
    public IReadOnlyDictionary<string, string> MailPreferences { get; init; } = new Dictionary<string, string>();

    /// <summary>The conversations they follow or muted.</summary>
    public IReadOnlyList<ExportedConversationFollow> Conversations { get; init; } = [];

    /// <summary>The comments they reported, with the reason they gave.</summary>
    public IReadOnlyList<ExportedReport> Reports { get; init; } = [];

    /// <summary>Their passkeys, by the name and date Hearth shows them with (the keys themselves are public keys).</summary>
    public IReadOnlyList<ExportedPasskey> Passkeys { get; init; } = [];
}

public sealed record ExportedConversationFollow(string Site, string ThreadUrl, string? ThreadTitle, string State, DateTime CreatedAt);

public sealed record ExportedReport(string Site, long CommentId, string Reason, DateTime CreatedAt);

public sealed record ExportedPasskey(string? Name, DateTimeOffset CreatedAt);

public sealed record ExportedNotification(long Id, string Kind, string Site, long CommentId, DateTime CreatedAt, DateTime? ReadAt)
{
    /// <summary>When the e-mail job dealt with it (mailed it, or left it out for good).</summary>
    public DateTime? MailedAt { get; init; }
}

public sealed record ExportedPersonFollow(string Site, long PersonId, string Name, string State, DateTime CreatedAt);

public sealed record ExportedPerson(long Id, string Site, string Kind, string Name, DateTime? FirstCommentAt, DateTime? LastCommentAt, int Comments,
    int Approved, int RepliesGiven, int RepliesReceived, int DaysActive, int ReportsAgainst, int TrustLevel, long? MergedIntoId)
{
    /// <summary>Whether they chose to show this community on their public profile.</summary>
    public bool ShowOnProfile { get; init; }
}

public sealed record ExportedProfile(long Id, string? Email, bool EmailConfirmed, string DisplayName, string? Website, string? Bio, string? PictureUrl,
    string? UploadedPicture, bool Admin, DateTime CreatedAt);

public sealed record ExportedMembership(string Site, string? Role, IReadOnlyList<string> Badges, string? EmailTheSiteGave, DateTime JoinedAt);

/// <summary>ReplyToId is the comment answered when it is not the parent (a reply beside one at the deepest level).</summary>
public sealed record ExportedComment(long Id, string Site, string ThreadUrl, string? ThreadTitle, long? ParentId, string Status, string Source, DateTime CreatedAt, DateTime? EditedAt, int Upvotes, int Downvotes)
{
    public long? ReplyToId { get; init; }
}

public sealed record ExportedVote(long CommentId, int Value, DateTime CastAt);

public sealed record ExportedSession(string Kind, string? Site, string? Device, DateTime CreatedAt, DateTime ExpiresAt);

public sealed record ExportedLogin(string Provider, string? ProviderName, string UserIdThere);

/// <summary>Everything Hearth holds about one person, in one JSON file they can take with them.</summary>
public sealed class AccountExport(HearthDb db, TimeProvider clock)
{
    public static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The account's export, whose long lists are read from the database as it is written; null for no such account.</summary>
    public async Task<ExportedAccount?> RunAsync(long userId, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return null;
        }
        var sites = await db.Sites.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var memberships = await db.SiteMembers.AsNoTracking().Where(m => m.UserId == userId).ToListAsync(ct);
        var voter = "member:" + userId;
        var sessions = await db.MemberSessions.AsNoTracking().Where(s => s.UserId == userId).OrderBy(s => s.CreatedAt).ToListAsync(ct);
        var logins = await db.UserLogins.AsNoTracking().Where(l => l.UserId == userId).ToListAsync(ct);
        var avatar = await db.UploadedAvatars.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == userId, ct);
        var mine = db.People.Where(p => p.UserId == userId).Select(p => p.Id);
        var people = await db.People.AsNoTracking().Where(p => p.UserId == userId || (p.MergedIntoId != null && mine.Contains(p.MergedIntoId.Value)))
            .OrderBy(p => p.Id).ToListAsync(ct);
        var mailPreferences = await Notifications.MailPreferences.ReadAsync(db, userId, ct);
        var follows = await (
            from f in db.Set<Notifications.PersonFollow>().AsNoTracking()
            where f.UserId == userId
            join p in db.People on f.PersonId equals p.Id
            orderby f.CreatedAt
            select new { f.SiteId, f.PersonId, p.Name, f.State, f.CreatedAt }).ToListAsync(ct);
        var conversations = await (
            from f in db.Set<Notifications.Follow>().AsNoTracking()
            where f.UserId == userId
            join t in db.Threads on f.ThreadId equals t.Id
            orderby f.CreatedAt
            select new ExportedConversationFollow(sites[f.SiteId], t.Url, t.Title, f.State, f.CreatedAt)).ToListAsync(ct);
        var reports = await db.Reports.AsNoTracking().Where(r => r.ReporterKey == voter).OrderBy(r => r.Id)
            .Select(r => new { r.SiteId, r.CommentId, r.Reason, r.CreatedAt }).ToListAsync(ct);
        var passkeys = await db.UserPasskeys.AsNoTracking().Where(p => p.UserId == userId).ToListAsync(ct);

        return new ExportedAccount(
            new ExportedProfile(user.Id, user.Email, user.EmailConfirmed, user.DisplayName, user.Website, user.Bio, user.PictureUrl,
                avatar is null ? null : "data:image/png;base64," + Convert.ToBase64String(avatar.Png), user.IsAdmin, user.CreatedAt),
            [.. memberships.Select(m => new ExportedMembership(sites[m.SiteId], m.Role?.ToString().ToLowerInvariant(), m.Badges, m.Email, m.JoinedAt))],
            CommentsAsync(userId, sites, ct),
            VotesAsync(voter, ct),
            [.. sessions.Select(s => new ExportedSession(s.Kind, s.SiteId is { } id ? sites[id] : null, s.Device, s.CreatedAt, s.ExpiresAt))],
            [.. logins.Select(l => new ExportedLogin(l.LoginProvider, l.ProviderDisplayName, l.ProviderKey))],
            clock.GetUtcNow().UtcDateTime)
        {
            People = [.. people.Select(p => new ExportedPerson(p.Id, sites[p.SiteId], p.Kind.ToString().ToLowerInvariant(), p.Name, p.FirstCommentAt,
                p.LastCommentAt, p.Comments, p.Approved, p.RepliesGiven, p.RepliesReceived, p.DaysActive, p.ReportsAgainst, p.TrustLevel, p.MergedIntoId)
            {
                ShowOnProfile = p.ShowOnProfile,
            })],
            Notifications = NotificationsAsync(userId, sites, ct),
            PersonFollows = [.. follows.Select(f => new ExportedPersonFollow(sites[f.SiteId], f.PersonId, f.Name, f.State, f.CreatedAt))],
            MailPreferences = mailPreferences,
            Conversations = conversations,
            Reports = [.. reports.Select(r => new ExportedReport(sites[r.SiteId], r.CommentId, r.Reason, r.CreatedAt))],
            Passkeys = [.. passkeys.Select(p => new ExportedPasskey(p.Data.Name, p.Data.CreatedAt))],
        };
    }

    /// <summary>
    /// Rows a page of the file reads at a time. Each page is a query of its own, done before its rows are written: one
    /// reader held open for the whole download would hold a snapshot of the database for as long as the slowest client
    /// takes, and SQLite could not empty its write-ahead log meanwhile (an account deletion's last step included).
    /// </summary>
    internal const int Page = 500;

    async IAsyncEnumerable<ExportedComment> CommentsAsync(long userId, Dictionary<long, string> sites,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var after = 0L;
        while (true)
        {
            var page = await db.Comments.AsNoTracking()
                .Where(c => c.Author.UserId == userId && c.Id > after)
                .OrderBy(c => c.Id)
                .Take(Page)
                .Join(db.Threads, c => c.ThreadId, t => t.Id, (c, t) => new
                {
                    c.Id, c.SiteId, t.Url, t.Title, c.ParentId, c.ReplyToId, c.Status, c.Source, c.CreatedAt, c.EditedAt, c.Upvotes, c.Downvotes,
                })
                .OrderBy(x => x.Id)
                .ToListAsync(ct);
            foreach (var x in page)
            {
                yield return new ExportedComment(x.Id, sites[x.SiteId], x.Url, x.Title, x.ParentId, x.Status.ToWire(), x.Source, x.CreatedAt,
                    x.EditedAt, x.Upvotes, x.Downvotes)
                {
                    ReplyToId = x.ReplyToId,
                };
            }
            if (page.Count < Page)
            {
                yield break;
            }
            after = page[^1].Id;
        }
    }

    async IAsyncEnumerable<ExportedVote> VotesAsync(string voter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        (DateTime At, long CommentId)? after = null;
        while (true)
        {
            var query = db.Votes.AsNoTracking().Where(v => v.VoterKey == voter);
            if (after is { } last)
            {
                query = query.Where(v => v.CastAt > last.At || (v.CastAt == last.At && v.CommentId > last.CommentId));
            }
            var page = await query.OrderBy(v => v.CastAt).ThenBy(v => v.CommentId).Take(Page)
                .Select(v => new ExportedVote(v.CommentId, v.Value, v.CastAt)).ToListAsync(ct);
            foreach (var vote in page)
            {
                yield return vote;
            }
            if (page.Count < Page)
            {
                yield break;
            }
            after = (page[^1].CastAt, page[^1].CommentId);
        }
    }

    async IAsyncEnumerable<ExportedNotification> NotificationsAsync(long userId, Dictionary<long, string> sites,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var after = 0L;
        while (true)
        {
            var page = await db.Notifications.AsNoTracking().Where(n => n.UserId == userId && n.Id > after).OrderBy(n => n.Id).Take(Page)
                .Select(n => new { n.Id, n.Kind, n.SiteId, n.CommentId, n.CreatedAt, n.ReadAt, n.MailedAt }).ToListAsync(ct);
            foreach (var n in page)
            {
                yield return new ExportedNotification(n.Id, n.Kind, sites[n.SiteId], n.CommentId, n.CreatedAt, n.ReadAt) { MailedAt = n.MailedAt };
            }
            if (page.Count < Page)
            {
                yield break;
            }
            after = page[^1].Id;
        }
    }
}
