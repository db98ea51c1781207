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
                var key = draft.Author.Key;
                var known = await db.Comments.AnyAsync(c => c.SiteId == draft.Site.Id && c.Author.Key == key && c.Status == CommentStatus.Published, ct);
                return known ? null : new Hold("first_comment", "The first comment of someone new to the site.");
            default:
                return null;
        }
    }
}
