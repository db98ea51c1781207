using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Conversations;

/// <summary>
/// One entry of a thread's log, written in the same transaction as the change it records (see <see cref="ThreadLog"/>).
/// Its <see cref="Seq"/> is its place in the thread's log, taken under the thread row's lock, so the entries of a thread
/// become visible in the order of their numbers on every engine; that number is the live stream's event id, and a
/// reader resumes after it exactly, on any node. It says what happened to which comment and between whom, never what
/// the comment said: readers get the comment as it is when they read, so words that left public view (deleted, edited,
/// rejected, taken down) are never sent again.
/// </summary>
public sealed class ThreadEvent
{
    public const string Created = "comment.created";
    public const string Updated = "comment.updated";
    public const string Deleted = "comment.deleted";
    public const string Voted = "comment.voted";

    /// <summary>Changes to the thread itself, which its pages show (<see cref="CommentId"/> is <see cref="NoComment"/>).</summary>
    public const string Locked = "thread.locked";
    public const string Unlocked = "thread.unlocked";

    /// <summary>Comments were imported into the thread: one entry for the whole import, so its pages are read again.</summary>
    public const string Imported = "thread.imported";

    /// <summary>The comment id of an event about the thread itself: no comment has it.</summary>
    public const long NoComment = 0;

    /// <summary>
    /// A comment's entry written by hand (<see cref="Storage.StatementList"/>), for the post path. Values: site, thread,
    /// seq, comment, type, actor, author, parent's author, status after, at.
    /// </summary>
    public const string Insert = """
        INSERT INTO "ThreadEvents" ("SiteId", "ThreadId", "Seq", "CommentId", "Type", "ActorKey", "AuthorKey", "ParentAuthorKey", "StatusAfter", "At")
        VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9})
        """;

    public long Id { get; private set; }
    public long SiteId { get; init; }
    public long ThreadId { get; init; }

    /// <summary>Place in the thread's log: 1, 2, 3... for logs begun since the numbering, gap-free from there on.</summary>
    public long Seq { get; set; }
    public long CommentId { get; init; }

    public bool IsAboutThread => CommentId == NoComment;
    public required string Type { get; init; }

    /// <summary>Who made the change, as an author key (see <see cref="CommentAuthor.Key"/>); null when no one person did (readers' reports, the server).</summary>
    public string? ActorKey { get; init; }

    /// <summary>The comment's author key when the event was written.</summary>
    public string? AuthorKey { get; init; }

    /// <summary>The author key of the comment it answers (its parent, or the one beside it that it replies to).</summary>
    public string? ParentAuthorKey { get; set; }

    /// <summary>Status before the change; null for a comment that did not exist yet.</summary>
    public CommentStatus? StatusBefore { get; init; }

    /// <summary>Status after the change; null for a comment that is gone.</summary>
    public CommentStatus? StatusAfter { get; init; }
    public DateTime At { get; init; }
}

sealed class ThreadEventConfiguration : IEntityTypeConfiguration<ThreadEvent>
{
    public void Configure(EntityTypeBuilder<ThreadEvent> builder)
    {
        builder.Property(e => e.Type).HasMaxLength(32);
        builder.Property(e => e.ActorKey).HasMaxLength(64);
        builder.Property(e => e.AuthorKey).HasMaxLength(64);
        builder.Property(e => e.ParentAuthorKey).HasMaxLength(64);
        builder.Property(e => e.StatusBefore).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.StatusAfter).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(e => new { e.ThreadId, e.Seq }).IsUnique();
    }
}
