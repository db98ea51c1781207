using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Conversations;

public sealed record OwnCommentsRequest(List<OwnCommentProof>? Comments);

/// <summary>A comment id with the edit token its author got back when posting it.</summary>
public sealed record OwnCommentProof(long Id, string? EditToken);

/// <summary>
/// An author's own comments of the last month, shown to that author alone after a reload, exactly as they were told
/// when posting: waiting ones (and spam) as "pending", published ones and a shadow-banned author's as "published",
/// so the answer never tells a shadow ban from a published comment. Only the edit token proves authorship, so nobody
/// else can ask; a comment a moderator rejected, deleted or marked as spam (which taught the filter: a label of spam)
/// is not returned, its words turned down; one only the filter holds as spam is still waiting, as far as its author knows.
/// </summary>
public sealed class OwnHeldComments(HearthDb db, InstanceKey keys, TimeProvider clock)
{
    public const int Max = 50;
    static readonly TimeSpan Kept = TimeSpan.FromDays(30);

    public async Task<Results<Ok<List<CommentResponse>>, ValidationProblem>> RunAsync(Site site, OwnCommentsRequest request, CancellationToken ct)
    {
        if (request.Comments is not { Count: > 0 and <= Max })
        {
            return Problems.Invalid("comments", $"Give 1 to {Max} comments, each with its id and editToken.");
        }
        var ids = request.Comments.Where(c => EditTokens.Matches(keys, c.Id, c.EditToken)).Select(c => c.Id).Distinct().ToList();
        if (ids.Count == 0)
        {
            return TypedResults.Ok(new List<CommentResponse>());
        }
        var since = clock.GetUtcNow().UtcDateTime - Kept;
        var held = await db.Comments.AsNoTracking()
            .Where(c => c.SiteId == site.Id && ids.Contains(c.Id) && c.CreatedAt >= since
                && (c.Status == CommentStatus.Pending || c.Status == CommentStatus.Published
                    || (c.Status == CommentStatus.Spam && !db.Set<Moderation.SpamFilter.SpamLabel>().Any(l => l.CommentId == c.Id && l.Spam))
                    || (c.Status == CommentStatus.Rejected && c.ModerationReason == Moderation.BanCheck.ShadowReason)))
            .OrderBy(c => c.Id)
            .ToListAsync(ct);
        // As they are now (an edit shows, by the author or a moderator), never as they were posted.
        return TypedResults.Ok(held.Select(c => c.ForAuthor()).OfType<CommentResponse>().ToList());
    }
}
