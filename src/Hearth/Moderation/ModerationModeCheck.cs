using Hearth.Conversations;
using Hearth.Sites;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Moderation;

/// <summary>Last, the site's own mode: everything waits (pre), or a person's first comment here waits (first).</summary>
public sealed class ModerationModeCheck(HearthDb db) : ICommentCheck
{
    public async ValueTask<CheckOutcome?> RunAsync(CommentDraft draft, CancellationToken ct)
    {
        switch (draft.Site.Moderation)
        {
            case ModerationMode.Pre:
                return new Hold("pre_moderation", "The site reads every comment before it is shown.");
            case ModerationMode.First:
                var known = await HasPublished(db, draft.Site.Id, draft.Author.Key, ct);
                return known ? null : new Hold("first_comment", "The first comment of someone new to the site.");
            default:
                return null;
        }
    }

    /// <summary>Compiled once: every post on a first-comment site asks it.</summary>
    static readonly Func<HearthDb, long, string, CancellationToken, Task<bool>> HasPublished =
        EF.CompileAsyncQuery((HearthDb db, long siteId, string authorKey, CancellationToken ct) =>
            db.Comments.Any(c => c.SiteId == siteId && c.Author.Key == authorKey && c.Status == CommentStatus.Published));
}
