using Hearth.Conversations;
using Hearth.Sites;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Moderation;

/// <summary>
/// Last, the site's own mode: everything waits (pre), or the comment of someone new to the site waits (first). Someone is
/// not new once a comment of theirs was published here, nor while they hold trust level 1 or more on the site (even if
/// their comments have since been removed): trust earned by taking part is what "first" moderation asks for.
/// </summary>
public sealed class ModerationModeCheck(HearthDb db) : ICommentCheck
{
    public async ValueTask<CheckOutcome?> RunAsync(CommentDraft draft, CancellationToken ct)
    {
        switch (draft.Site.Moderation)
        {
            case ModerationMode.Pre:
                return new Hold("pre_moderation", "The site reads every comment before it is shown.");
            case ModerationMode.First:
                var known = await IsKnown(db, draft.Site.Id, draft.Author.Key, ct);
                return known ? null : new Hold("first_comment", "The first comment of someone new to the site.");
            default:
                return null;
        }
    }

    /// <summary>
    /// Compiled once: every post on a first-comment site asks it. The person's level rides in the same command as the
    /// look-up of a published comment (two indexed probes, one trip), so trust costs a post nothing more.
    /// </summary>
    static readonly Func<HearthDb, long, string, CancellationToken, Task<bool>> IsKnown =
        EF.CompileAsyncQuery((HearthDb db, long siteId, string authorKey, CancellationToken ct) =>
            db.Sites.Where(s => s.Id == siteId)
                .Select(s => db.People.Any(p => p.SiteId == siteId && p.Key == authorKey && p.TrustLevel >= People.TrustLevels.Basic)
                    || db.Comments.Any(c => c.SiteId == siteId && c.Author.Key == authorKey && c.Status == CommentStatus.Published))
                .FirstOrDefault());
}
