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
}
