namespace Hearth.Conversations;

public static class ThreadEvents
{
    /// <summary>The log row for a change to a comment; readers are shown the comment as it is when they read.</summary>
    public static ThreadEvent For(Comment comment, string type, DateTime now) => new()
    {
        SiteId = comment.SiteId,
        ThreadId = comment.ThreadId,
        CommentId = comment.Id,
        Type = type,
        At = now,
    };

    /// <summary>The comment left the public thread (removed, or taken down until a moderator looks).</summary>
    public static ThreadEvent Removed(Comment comment, DateTime now) => For(comment, ThreadEvent.Deleted, now);
}
