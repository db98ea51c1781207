namespace Hearth.Moderation;

/// <summary>A suspect word is not a verdict: the comment waits for a person to read it.</summary>
public sealed class SuspectWordsCheck : ICommentCheck
{
    public ValueTask<CheckOutcome?> RunAsync(CommentDraft draft, CancellationToken ct)
    {
        if (draft.Site.SuspectWords.Count == 0)
        {
            return ValueTask.FromResult<CheckOutcome?>(null);
        }
        var match = WordList.FirstMatch(draft.Site.SuspectWords, WordList.Words(draft.Body.Source + " " + draft.Author.Name));
        return ValueTask.FromResult<CheckOutcome?>(match is null ? null : new Hold("suspect_word", $"Contains the suspect word \"{match}\"."));
    }
}
