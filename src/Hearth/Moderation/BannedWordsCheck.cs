using Hearth.Conversations;

namespace Hearth.Moderation;

/// <summary>A banned word keeps the comment from ever being shown; moderators still see it, and why.</summary>
public sealed class BannedWordsCheck : ICommentCheck
{
    public ValueTask<CheckOutcome?> RunAsync(CommentDraft draft, CancellationToken ct)
    {
        if (draft.Site.BannedWords.Count == 0)
        {
            return ValueTask.FromResult<CheckOutcome?>(null);
        }
        var match = WordList.FirstMatch(draft.Site.BannedWords, WordList.Words(draft.Body.Source + " " + draft.Author.Name));
        return ValueTask.FromResult<CheckOutcome?>(match is null ? null
            : new Hold("banned_word", $"Contains the banned word \"{match}\".", CommentStatus.Rejected));
    }
}
