using System.Text.Json;

namespace Hearth.Conversations;

public static class ThreadEvents
{
    /// <summary>The log row for a change; the public snapshot is left out while the comment is not public.</summary>
    public static ThreadEvent For(Comment comment, string type, DateTime now) => new()
    {
        SiteId = comment.SiteId,
        ThreadId = comment.ThreadId,
        CommentId = comment.Id,
        Type = type,
        Data = comment.IsVisible ? JsonSerializer.Serialize(comment.ToResponse(), HearthJson.Default.CommentResponse) : null,
        At = now,
    };

    /// <summary>The comment left the public thread (removed, or taken down until a moderator looks).</summary>
    public static ThreadEvent Removed(Comment comment, DateTime now) => new()
    {
        SiteId = comment.SiteId,
        ThreadId = comment.ThreadId,
        CommentId = comment.Id,
        Type = ThreadEvent.Deleted,
        Data = $$"""{"id":{{comment.Id}},"removed":true}""",
        At = now,
    };
}
