namespace Hearth.Conversations;

/// <summary>
/// Events made without the log's helper: numbered when saved (see <see cref="ThreadLog.NumberUnplacedAsync"/>).
/// New writers call <see cref="ThreadLog.AppendAsync"/>, which also records who acted and what the status was.
/// </summary>
public static class ThreadEvents
{
    public static ThreadEvent For(Comment comment, string type, DateTime now) => new()
    {
        SiteId = comment.SiteId,
        ThreadId = comment.ThreadId,
        CommentId = comment.Id,
        Type = type,
        AuthorKey = string.IsNullOrEmpty(comment.Author.Key) ? null : comment.Author.Key,
        ActorKey = type == ThreadEvent.Created && !string.IsNullOrEmpty(comment.Author.Key) ? comment.Author.Key : null,
        StatusAfter = comment.Status,
        At = now,
    };
}
