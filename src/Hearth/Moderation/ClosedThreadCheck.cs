namespace Hearth.Moderation;

/// <summary>A locked thread, or one older than the site lets threads stay open, takes no new comments.</summary>
public sealed class ClosedThreadCheck : ICommentCheck
{
    public ValueTask<CheckOutcome?> RunAsync(CommentDraft draft, CancellationToken ct)
    {
        var expired = draft.Thread is { } thread && draft.Site.CloseAfterDays is { } days && thread.CreatedAt.AddDays(days) <= draft.Now;
        return ValueTask.FromResult<CheckOutcome?>(draft.Thread is { Locked: true } || expired
            ? new Refuse(StatusCodes.Status403Forbidden, "thread_locked", "This conversation is closed to new comments.")
            : null);
    }
}
