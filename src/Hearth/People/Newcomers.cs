using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.People;

/// <summary>A newcomer's first comment, with where it is, for the team to answer.</summary>
public sealed record NewcomerComment(long Id, string Html, DateTime CreatedAt, long ThreadId, string ThreadUrl, string? ThreadTitle);

public sealed record NewcomerResponse(long PersonId, string Name, string Kind, DateTime FirstCommentAt, NewcomerComment Comment);

public sealed record NewcomersPage(IReadOnlyList<NewcomerResponse> Newcomers);

/// <summary>
/// People whose first comment on the site, within the newcomer days, is public and still unanswered by anyone else,
/// oldest first: whoever has waited longest for a word back comes first. A bounded read on the (site, first comment)
/// index; each candidate's comment is found by its key, its replies by the parent and reply-to indexes.
/// </summary>
public static class Newcomers
{
    public const int Limit = 50;

    public static async Task<IReadOnlyList<NewcomerResponse>> ListAsync(HearthDb db, long siteId, TrustOptions trust, DateTime now, CancellationToken ct)
    {
        var since = DateTime.SpecifyKind(now, DateTimeKind.Utc).AddDays(-trust.NewcomerDays);
        var rows = await (
            from p in db.People.AsNoTracking()
            where p.SiteId == siteId && p.MergedIntoId == null && p.FirstCommentAt >= since && p.FirstCommentId != null
            join c in db.Comments.AsNoTracking() on p.FirstCommentId equals c.Id
            where c.Status == CommentStatus.Published
                && !db.Comments.Any(r => (r.ParentId == c.Id || r.ReplyToId == c.Id) && r.Author.Key != p.Key && r.Status == CommentStatus.Published)
            join t in db.Threads.AsNoTracking() on c.ThreadId equals t.Id
            orderby p.FirstCommentAt, p.Id
            select new { p.Id, p.Name, p.Kind, p.FirstCommentAt, c.Html, CommentId = c.Id, c.CreatedAt, t.Url, t.Title, ThreadId = t.Id })
            .Take(Limit).ToListAsync(ct);
        return [.. rows.Select(r => new NewcomerResponse(r.Id, r.Name, r.Kind.ToString().ToLowerInvariant(), r.FirstCommentAt!.Value,
            new NewcomerComment(r.CommentId, r.Html, r.CreatedAt, r.ThreadId, r.Url, r.Title)))];
    }
}
