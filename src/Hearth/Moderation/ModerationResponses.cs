namespace Hearth.Moderation;

public sealed record QueueThread(long Id, string Url, string? Title, bool Locked);

public sealed record QueueParent(long Id, string? AuthorName, string Html);

/// <summary>The author as moderators see them: with the address guests gave, and how they have fared here so far.</summary>
public sealed record QueueAuthor(string Name, string Kind, long? UserId, string? Email, string? Website, string Key, int Published, int Held);

public sealed record QueueItem(
    long Id,
    string Status,
    string? Reason,
    string? Detail,
    string Html,
    string Source,
    DateTime CreatedAt,
    QueueThread Thread,
    QueueParent? Parent,
    QueueAuthor Author,
    IReadOnlyList<string> Reports)
{
    public bool Pinned { get; init; }
    public bool Featured { get; init; }
    public DateTime? EditedAt { get; init; }
    public bool EditedByModerator { get; init; }
    public bool IsReply { get; init; }

    /// <summary>The author's first comment on the site: for the team only, so someone new is answered, not just judged.</summary>
    public bool FirstHere { get; init; }
}

public sealed record QueuePage(IReadOnlyList<QueueItem> Items, string? NextCursor);

public sealed record DecisionRequest(List<long>? Ids, string? Action);

public sealed record DecisionResponse(int Changed, IReadOnlyList<long> NotFound);

public sealed record AuditResponse(long Id, string Actor, string Action, string Target, string? Before, string? After, DateTime At);
