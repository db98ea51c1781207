using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Conversations;

/// <summary>
/// The ordered log of everything that happened to threads, written in the same transaction as the change.
/// Its id is the live stream's event id, so a reader that reconnects resumes from the log on any node.
/// It says what happened to which comment, never what the comment said: readers get the comment as it is when
/// they read, so words that left public view (deleted, edited, rejected, taken down) are never sent again.
/// </summary>
public sealed class ThreadEvent
{
    public const string Created = "comment.created";
    public const string Updated = "comment.updated";
    public const string Deleted = "comment.deleted";
    public const string Voted = "comment.voted";

    public long Id { get; private set; }
    public long SiteId { get; init; }
    public long ThreadId { get; init; }
    public long CommentId { get; init; }
    public required string Type { get; init; }
    public DateTime At { get; init; }
}

sealed class ThreadEventConfiguration : IEntityTypeConfiguration<ThreadEvent>
{
    public void Configure(EntityTypeBuilder<ThreadEvent> builder)
    {
        builder.Property(e => e.Type).HasMaxLength(32);
        builder.HasIndex(e => new { e.ThreadId, e.Id });
    }
}
