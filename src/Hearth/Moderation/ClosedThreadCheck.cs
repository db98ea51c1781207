namespace Hearth.Moderation;

/// <summary>A locked thread, or one older than the site lets threads stay open, takes no new comments.</summary>
public sealed class ClosedThreadCheck : ICommentCheck
{
    public const string Code = "thread_locked";
    public const string Detail = "This conversation is closed to new comments.";

    public ValueTask<CheckOutcome?> RunAsync(CommentDraft draft, CancellationToken ct) =>
        ValueTask.FromResult<CheckOutcome?>(draft.Thread is { } thread && IsClosed(draft.Site, thread, draft.Now)
            ? new Refuse(StatusCodes.Status403Forbidden, Code, Detail)
            : null);

    /// <summary>Whether the thread takes no new comments now; what helps write one (the names to mention) asks it too.</summary>
    public static bool IsClosed(Sites.Site site, Conversations.CommentThread thread, DateTime now) =>
        thread.Locked || (site.CloseAfterDays is { } days && thread.CreatedAt.AddDays(days) <= now);
}
