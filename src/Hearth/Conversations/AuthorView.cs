namespace Hearth.Conversations;

/// <summary>
/// A comment as its own author is told about it: what a check held shows as "pending" whatever held it, and a
/// shadow ban shows as "published", so neither the rules nor the ban can be learnt from the answer.
/// </summary>
public static class AuthorView
{
    public static string StatusForAuthor(this Comment comment) => comment.Status switch
    {
        CommentStatus.Published => CommentStatus.Published.ToWire(),
        CommentStatus.Rejected when comment.ModerationReason == Moderation.BanCheck.ShadowReason => CommentStatus.Published.ToWire(),
        CommentStatus.Pending or CommentStatus.Spam => CommentStatus.Pending.ToWire(),
        _ => comment.Status.ToWire(),
    };

    /// <summary>
    /// The comment as it is now, for its author; null once a moderator rejected it or it was deleted, when its words
    /// are not to be handed out again, not even to whoever holds the proof of having written them.
    /// </summary>
    public static CommentResponse? ForAuthor(this Comment comment) =>
        comment.StatusForAuthor() is var status && (status == CommentStatus.Published.ToWire() || status == CommentStatus.Pending.ToWire())
            ? comment.ToResponse() with { Status = status }
            : null;
}
