namespace Hearth.Conversations;

public enum AuthorKind
{
    Guest,
    Member,
}

/// <summary>
/// Who wrote a comment: a guest (what they typed) or a member (an account; name copied at write time).
/// The e-mail address is never shown to anyone but moderators.
/// </summary>
public sealed class CommentAuthor
{
    public AuthorKind Kind { get; set; }
    public long? UserId { get; set; }
    public string Name { get; set; } = "";
    public string? Email { get; set; }
    public string? Website { get; set; }

    /// <summary>A member's uploaded picture (its address), kept up to date when they change it; null: the generated one.</summary>
    public string? Avatar { get; set; }

    /// <summary>Badges at the time of writing (e.g. "verified-buyer staff"), space-separated; members only.</summary>
    public string? Badges { get; set; }

    public IReadOnlyList<string> BadgeList => Badges is null ? [] : Badges.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Keyed hash that stands for this author in duplicate checks, edit tokens and avatars.</summary>
    public string Key { get; set; } = "";
}
