namespace Hearth.Moderation;

/// <summary>A suspect word is not a verdict: the comment waits for a person to read it.</summary>
public sealed class SuspectWordsCheck : ICommentCheck
{
    public ValueTask<CheckOutcome?> RunAsync(CommentDraft draft, CancellationToken ct) =>
        ValueTask.FromResult<CheckOutcome?>(WordList.FirstMatch(draft.Site.SuspectWords, draft) is { } match
            ? new Hold("suspect_word", $"Contains the suspect word \"{match}\".")
            : null);
}
