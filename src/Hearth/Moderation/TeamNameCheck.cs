using Hearth.Identity;

namespace Hearth.Moderation;

/// <summary>
/// A guest may not write under a name that would pass for someone on the site's team (or an admin): readers take the
/// team's words as the site's own, and a guest's comment carries no badge to tell them apart.
/// </summary>
public sealed class TeamNameCheck(StaffNames staff) : ICommentCheck
{
    public const string Code = "name_reserved";

    public async ValueTask<CheckOutcome?> RunAsync(CommentDraft draft, CancellationToken ct) =>
        draft.Member is null && await staff.WouldImpersonateOnSiteAsync(draft.Author.Name, draft.Site.Id, null, ct)
            ? new Refuse(StatusCodes.Status422UnprocessableEntity, Code,
                "That name is too close to the name of someone on this site's team. Please choose another, or sign in if it is yours.")
            : null;
}
