using System.Text.Json.Serialization;

namespace Hearth.Conversations;

/// <summary>Null fields are left out of responses, except those the contract promises are always there.</summary>
public sealed record ThreadPageResponse(
    ThreadResponse Thread,
    IReadOnlyList<CommentResponse> Comments,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor)
{
    /// <summary>The thread's event log position this page reflects; a live stream started from it misses nothing.</summary>
    public long LastEventId { get; init; }

    /// <summary>
    /// In an answer to <c>replies=ID</c> (the next replies of one top-level comment): true when that comment has more
    /// after these. Absent from every other page.
    /// </summary>
    public bool? MoreReplies { get; init; }
}

/// <summary>Id is null until the thread's first comment creates it.</summary>
public sealed record ThreadResponse(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? Id,
    string Url,
    string? Identifier,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Title,
    int CommentCount,
    bool Locked);

/// <summary>A comment as the public sees it. A tombstone ("deleted") has no author and no html.</summary>
public sealed record CommentResponse(
    long Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? ParentId,
    AuthorResponse? Author,
    string Html,
    DateTime CreatedAt,
    DateTime? EditedAt,
    int Score,
    string Status)
{
    public int Upvotes { get; init; }
    public int Downvotes { get; init; }

    /// <summary>Present (true) only when so: most comments are neither, and the page stays small.</summary>
    public bool? Pinned { get; init; }
    public bool? Featured { get; init; }
    public bool? EditedByModerator { get; init; }

    /// <summary>
    /// On a top-level comment, true when the page carries only its first <see cref="ReadThread.RepliesPerRoot"/>
    /// replies: <c>replies=ID&amp;after=LAST</c> gives the next ones. Absent otherwise.
    /// </summary>
    public bool? MoreReplies { get; init; }

    /// <summary>
    /// Whom a reply answers when that is not its parent (it was written to a comment at the deepest level, and sits
    /// beside it). Absent for every other comment, so readers of contract v1 see nothing new.
    /// </summary>
    public ReplyToResponse? ReplyTo { get; init; }

    /// <summary>Returned once, to the author, with the 201: it lets them edit or delete until EditableUntil.</summary>
    public string? EditToken { get; init; }
    public DateTime? EditableUntil { get; init; }
}

/// <summary>The comment answered; Name is left out when it is a tombstone, and the whole is left out when it is not public.</summary>
public sealed record ReplyToResponse(long Id, string? Name);

public sealed record AuthorResponse(string Name, string? Website, string AvatarUrl, IReadOnlyList<string> Badges)
{
    /// <summary>
    /// Who wrote it, for a reader to follow or mute them (.../people/{key}/follow): the key of someone with an account
    /// or the site's sign-in, the same on every comment of theirs on the site. Absent for guests, who cannot be followed.
    /// It tells no more than the drawn avatar's address, which carries the same key.
    /// </summary>
    public string? Key { get; init; }
}

/// <summary>Counts keyed by the thread parameter exactly as the page sent it.</summary>
public sealed record CountsResponse(IReadOnlyDictionary<string, int> Counts);

public sealed record PreviewResponse(string Html);

public sealed record VoteResponse(long Id, int Score, int Upvotes, int Downvotes, int MyVote);

public static class CommentMapping
{
    public static CommentResponse ToResponse(this Comment comment) => new(
        comment.Id,
        comment.ParentId,
        comment.Status == CommentStatus.Deleted ? null : comment.Author.ToResponse(comment.SiteId),
        comment.Html,
        comment.CreatedAt,
        comment.EditedAt,
        comment.Score,
        comment.Status.ToWire())
    {
        Upvotes = comment.Upvotes,
        Downvotes = comment.Downvotes,
        Pinned = comment.Pinned ? true : null,
        Featured = comment.Featured ? true : null,
        EditedByModerator = comment.EditedByModerator ? true : null,
        // Named by NameReplyTargets from the page, or by whoever knows the comment answered.
        ReplyTo = comment.ReplyToId is { } answered ? new ReplyToResponse(answered, null) : null,
    };

    /// <summary>
    /// Names whom each reply on a page answers, from the page itself: the comment answered always hangs under the same
    /// top-level comment, and a page carries every public reply of its top-level comments, so it is there whenever
    /// readers may see it. One that is not (held, rejected) is not named, nor even pointed at.
    /// </summary>
    public static void NameReplyTargets(List<CommentResponse> page)
    {
        Dictionary<long, CommentResponse>? byId = null;
        for (var i = 0; i < page.Count; i++)
        {
            if (page[i].ReplyTo is not { } target)
            {
                continue;
            }
            if (byId is null)
            {
                byId = new Dictionary<long, CommentResponse>(page.Count);
                foreach (var comment in page)
                {
                    byId.TryAdd(comment.Id, comment);
                }
            }
            page[i] = page[i] with
            {
                ReplyTo = byId.TryGetValue(target.Id, out var answered) ? target with { Name = answered.Author?.Name } : null,
            };
        }
    }

    public static AuthorResponse ToResponse(this CommentAuthor author, long siteId) => new(
        author.Name,
        author.Website,
        AvatarUrl(author.Avatar, author.UserId is null ? GuestPicture(siteId, author.Name) : author.Key),
        author.BadgeList)
    {
        Key = author.UserId is null || author.Key.Length == 0 ? null : author.Key,
    };

    /// <summary>
    /// What a guest's picture is drawn from: their name on this site, nothing else. The guest key (of name and e-mail
    /// address, the same on every site) once named the picture, so anyone could follow a guest from site to site, and
    /// learn whether a guest wrote with a given address by posting under their name with it and comparing pictures.
    /// </summary>
    public static string GuestPicture(long siteId, string name) => System.Buffers.Text.Base64Url.EncodeToString(
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            FormattableString.Invariant($"guest picture\n{siteId}\n{name.ToLowerInvariant()}")))[..18]);

    /// <summary>A member's uploaded picture, else the one drawn from the author's key.</summary>
    public static string AvatarUrl(string? avatar, string key) => avatar ?? $"/api/v1/avatars/{key}.svg";

    public static ThreadResponse ToResponse(this CommentThread thread) =>
        new(thread.Id, thread.Url, thread.Identifier, thread.Title, thread.CommentCount, thread.Locked);
}
