namespace Hearth.Moderation;

/// <summary>
/// The checks an author's edit passes: those about the words (and a pre-moderated site's rule that a person reads
/// everything), so a comment cannot be posted harmless and then edited into what would have been held. Who writes
/// and how fast were settled when it was posted.
/// </summary>
public sealed class EditChecks(IReadOnlyList<ICommentCheck> checks)
{
    public async Task<CheckOutcome?> RunAsync(CommentDraft draft, CancellationToken ct)
    {
        foreach (var check in checks)
        {
            if (await check.RunAsync(draft, ct) is { } outcome)
            {
                return outcome;
            }
        }
        return null;
    }
}
