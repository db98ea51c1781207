using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Conversations;

public sealed class Comment
{
    public long Id { get; private set; }
    public long SiteId { get; init; }
    public long ThreadId { get; init; }
    public long? ParentId { get; init; }

    /// <summary>The top-level comment this one hangs under (null for top-level ones), so a page loads whole subtrees.</summary>
    public long? RootId { get; init; }

    /// <summary>0 for a top-level comment; never more than the instance's maximum (see Create).</summary>
    public int Depth { get; init; }

    /// <summary>
    /// The comment this one answers when that is not its parent: a reply to a comment at the deepest level sits
    /// beside it, under the same parent, and this keeps whom it answers.
    /// </summary>
    public long? ReplyToId { get; init; }

    public CommentAuthor Author { get; private set; } = new();
    public string Source { get; private set; } = "";
    public string Html { get; private set; } = "";

    /// <summary>Hash of the whitespace-normalised source, for duplicate detection.</summary>
    public string BodyHash { get; private set; } = "";

    /// <summary>
    /// Hash of the comment's distinct words, normalised and sorted: the same words in another order, case, width or
    /// punctuation hash alike, which is how a spam run looks from page to page.
    /// </summary>
    public string? WordsHash { get; private set; }
    public CommentStatus Status { get; private set; }

    /// <summary>Which moderation check held the comment (e.g. "suspect_word"), and its words for the moderator.</summary>
    public string? ModerationReason { get; private set; }
    public string? ModerationDetail { get; private set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? EditedAt { get; private set; }

    /// <summary>The last edit was a moderator's, not the author's: readers are told so.</summary>
    public bool EditedByModerator { get; private set; }

    /// <summary>A pinned top-level comment opens the thread, before any order; a featured one carries a mark.</summary>
    public bool Pinned { get; set; }
    public bool Featured { get; set; }
    public string? IpHash { get; private set; }

    /// <summary>
    /// The system an imported comment came from ("disqus") and its id there, unique per site: importing the same file
    /// again finds it and adds nothing, and an import stopped half-way is finished by running it again.
    /// </summary>
    public string? ImportSource { get; private set; }
    public string? ImportId { get; private set; }

    public int Upvotes { get; private set; }
    public int Downvotes { get; private set; }

    /// <summary>Wilson lower bound of the vote ratio, kept in a column so "best" sorts in SQL.</summary>
    public double Rank { get; private set; }

    public int Score => Upvotes - Downvotes;
    public bool IsVisible => Status is CommentStatus.Published or CommentStatus.Deleted;

    /// <summary>The most Hearth:MaxReplyDepth may be, whatever a caller passes: the last wall against endless chains.</summary>
    public const int ReplyDepthLimit = 50;

    /// <summary>
    /// Every comment is made here, whoever writes it (a post, an import), so no path nests deeper than maxReplyDepth:
    /// a reply to a comment at that depth goes beside it, as a reply to the same parent that says whom it answers.
    /// Renderers then never meet a chain longer than the setting, and the rule cannot be forgotten by a new path.
    /// </summary>
    public static Comment Create(CommentThread thread, Comment? parent, CommentAuthor author, RenderedMarkdown body,
        CommentStatus status, string? reason, string? detail, string? ipHash, DateTime now, int maxReplyDepth)
    {
        if (parent is not null && parent.ThreadId != thread.Id)
        {
            throw new InvalidOperationException("A reply belongs to the thread of the comment it answers.");
        }
        var deepest = Math.Clamp(maxReplyDepth, 1, ReplyDepthLimit);
        // A parent deeper than the maximum (only if the data was written behind Hearth's back, before the repair at
        // start) is treated the same way, so a chain never grows.
        var beside = parent is { ParentId: not null } && parent.Depth >= deepest;
        return new Comment
        {
            SiteId = thread.SiteId,
            ThreadId = thread.Id,
            ParentId = beside ? parent!.ParentId : parent?.Id,
            ReplyToId = beside ? parent!.Id : null,
            RootId = parent is null ? null : parent.RootId ?? parent.Id,
            Depth = parent is null ? 0 : beside ? parent.Depth : parent.Depth + 1,
            Author = author,
            Source = body.Source,
            Html = body.Html,
            BodyHash = body.Hash,
            WordsHash = body.WordsHash,
            Status = status,
            ModerationReason = reason,
            ModerationDetail = detail,
            CreatedAt = now,
            IpHash = ipHash,
        };
    }

    /// <summary>The id the database gave a comment stored without EF (<see cref="CommentRow"/>).</summary>
    internal void StoredAs(long id) => Id = id;

    public void Edit(RenderedMarkdown body, DateTime now, bool byModerator = false)
    {
        if (Status == CommentStatus.Deleted)
        {
            throw new InvalidOperationException("A deleted comment cannot be edited.");
        }
        Source = body.Source;
        Html = body.Html;
        BodyHash = body.Hash;
        WordsHash = body.WordsHash;
        EditedAt = now;
        EditedByModerator = byModerator;
    }

    /// <summary>Keeps the place in the tree but drops the words and everything that says who wrote them.</summary>
    public void MarkDeleted(DateTime now)
    {
        Status = CommentStatus.Deleted;
        Source = "";
        Html = "";
        BodyHash = "";
        WordsHash = null;
        Author = new CommentAuthor { Kind = Author.Kind, Key = "" };
        IpHash = null;
        ModerationDetail = null;
        EditedAt = now;
        EditedByModerator = false;
        Pinned = false;
        Featured = false;
        Upvotes = 0;
        Downvotes = 0;
        Rank = 0;
    }

    /// <summary>
    /// A moderator's decision. Returns how the public count moves (+1, 0, -1); a tombstone is beyond deciding.
    /// The reason the checks gave stays, so the history of the comment still shows why it was held.
    /// </summary>
    public int Decide(CommentStatus decision)
    {
        if (Status == CommentStatus.Deleted || decision == CommentStatus.Deleted)
        {
            throw new InvalidOperationException("Deleted comments are not moderated.");
        }
        var wasPublished = Status == CommentStatus.Published;
        Status = decision;
        return (decision == CommentStatus.Published ? 1 : 0) - (wasPublished ? 1 : 0);
    }

    /// <summary>
    /// Readers or a rule took the comment down (by default until a moderator decides); returns how the public count
    /// moves. A comment already held stays held, with the newer reason; a rejected or deleted one is beyond holding.
    /// </summary>
    public int HoldFor(string reason, string detail, CommentStatus status = CommentStatus.Pending)
    {
        if (Status is not (CommentStatus.Published or CommentStatus.Pending or CommentStatus.Spam))
        {
            return 0;
        }
        var wasPublished = Status == CommentStatus.Published;
        Status = status;
        ModerationReason = reason;
        ModerationDetail = detail;
        return wasPublished ? -1 : 0;
    }

    /// <summary>The words stay; nothing says who wrote them any more (an account deleted with "keep my comments").</summary>
    public void Anonymise(string formerName, string key)
    {
        Author = new CommentAuthor { Kind = AuthorKind.Guest, Name = formerName, Key = key };
        IpHash = null;
    }

    /// <summary>A guest's comment joins the account of the person who proved the guest's address was theirs.</summary>
    public void ClaimFor(long userId, string name, string? website, string? avatar, string key)
    {
        Author = new CommentAuthor { Kind = AuthorKind.Member, UserId = userId, Name = name, Website = website, Avatar = avatar, Key = key };
    }

    public void ApplyVotes(int upvotes, int downvotes)
    {
        Upvotes = upvotes;
        Downvotes = downvotes;
        Rank = WilsonScore.LowerBound(upvotes, downvotes);
    }
}

sealed class CommentConfiguration : IEntityTypeConfiguration<Comment>
{
    /// <summary>The condition of the indexes that hold only comments written here; a query meant to use them says it too.</summary>
    public const string WrittenHere = "\"ImportSource\" IS NULL";

    public void Configure(EntityTypeBuilder<Comment> builder)
    {
        builder.ComplexProperty(c => c.Author, author =>
        {
            author.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16);
            author.Property(a => a.Name).HasMaxLength(80);
            author.Property(a => a.Email).HasMaxLength(254);
            author.Property(a => a.Website).HasMaxLength(300);
            author.Property(a => a.Key).HasMaxLength(64);
            author.Property(a => a.Badges).HasMaxLength(400);
            author.Property(a => a.Avatar).HasMaxLength(100);
            author.Ignore(a => a.BadgeList);
        });
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.ModerationReason).HasMaxLength(32);
        builder.Property(c => c.ModerationDetail).HasMaxLength(300);
        builder.Property(c => c.BodyHash).HasMaxLength(64);
        builder.Property(c => c.WordsHash).HasMaxLength(64);
        // The spam-run check asks for the day's comments with these words: the window bounds the range it reads,
        // however often the same words were said before. Imported comments are the past of another system, never compared
        // with a new post, and left out: each is a random place in this index and the twin check's, and writing those
        // places was half of an import's writing.
        builder.HasIndex(c => new { c.SiteId, c.WordsHash, c.CreatedAt }).HasFilter(WrittenHere);
        builder.Property(c => c.IpHash).HasMaxLength(64);
        builder.Property(c => c.ImportSource).HasMaxLength(16);
        builder.Property(c => c.ImportId).HasMaxLength(200);
        // Comments written here have no import id; NULLs are distinct on both engines, so they never collide.
        builder.HasIndex(c => new { c.SiteId, c.ImportSource, c.ImportId }).IsUnique();
        builder.Ignore(c => c.Score);
        builder.Ignore(c => c.IsVisible);

        builder.HasOne<CommentThread>().WithMany().HasForeignKey(c => c.ThreadId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Comment>().WithMany().HasForeignKey(c => c.ParentId).OnDelete(DeleteBehavior.Restrict);
        // An index, not a foreign key: adding one would make SQLite copy the whole table, and nothing needs it. Removal
        // keeps an answered comment as a tombstone, and an answer whose comment is gone is simply not named on a page.
        builder.HasIndex(c => c.ReplyToId);
        // The start-up check for replies deeper than the maximum is then a look-up, not a read of every comment.
        builder.HasIndex(c => c.Depth);

        // The three page orders, and the duplicate check, which reads only the duplicate window's share of the
        // thread's comments with the same body ("Thank you!" is said on a busy page every day).
        builder.HasIndex(c => new { c.ThreadId, c.RootId, c.CreatedAt });
        builder.HasIndex(c => new { c.ThreadId, c.RootId, c.Rank, c.CreatedAt }).IsDescending(false, false, true, false);
        builder.HasIndex(c => new { c.ThreadId, c.CreatedAt }).HasFilter("\"Pinned\"").HasDatabaseName("IX_Comments_Pinned");
        builder.HasIndex(c => new { c.ThreadId, c.BodyHash, c.CreatedAt }).HasFilter(WrittenHere);
        builder.HasIndex(c => c.ParentId);
        // The community page and Explore read a site's latest public comments, newest first, and stop after a fixed
        // number (Community/Liveliness): the status is an equality, so the index walks them in order and no further.
        builder.HasIndex(c => new { c.SiteId, c.Status, c.CreatedAt });
    }
}
