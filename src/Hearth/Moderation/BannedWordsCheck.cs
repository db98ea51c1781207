using Hearth.Conversations;

namespace Hearth.Moderation;

/// <summary>A banned word keeps the comment from ever being shown; moderators still see it, and why.</summary>
public sealed class BannedWordsCheck : ICommentCheck
{
    public ValueTask<CheckOutcome?> RunAsync(CommentDraft draft, CancellationToken ct) =>
        ValueTask.FromResult<CheckOutcome?>(WordList.FirstMatch(draft.Site.BannedWords, draft) is { } match
            ? new Hold("banned_word", $"Contains the banned word \"{match}\".", CommentStatus.Rejected)
            : null);
}
