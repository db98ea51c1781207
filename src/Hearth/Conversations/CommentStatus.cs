namespace Hearth.Conversations;

public enum CommentStatus
{
    Published,
    Pending,
    Spam,
    Rejected,
    /// <summary>A tombstone kept so that its replies still hang together.</summary>
    Deleted,
}

public static class CommentStatusNames
{
    public static string ToWire(this CommentStatus status) => status switch
    {
        CommentStatus.Published => "published",
        CommentStatus.Pending => "pending",
        CommentStatus.Spam => "spam",
        CommentStatus.Rejected => "rejected",
        CommentStatus.Deleted => "deleted",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}
