namespace Hearth.Conversations;

public sealed record PostCommentRequest(
    string? Url,
    string? Identifier,
    string? Title,
    long? ParentId,
    string? Body,
    GuestAuthorRequest? Author,
    bool? NotifyReplies = null);

public sealed record GuestAuthorRequest(string? Name, string? Email, string? Website);

public sealed record EditCommentRequest(string? Body);

/// <summary>1 up, -1 down, 0 takes the vote back.</summary>
public sealed record VoteRequest(int Value);
