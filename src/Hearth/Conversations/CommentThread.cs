using Hearth.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Conversations;

/// <summary>The conversation under one page. Created by its first comment.</summary>
public sealed class CommentThread
{
    public long Id { get; init; }
    public long SiteId { get; init; }

    /// <summary>"i:" + the explicit identifier, or "u:" + the normalised URL; unique per site.</summary>
    public required string Key { get; init; }
    public required string Url { get; set; }
    public string? Identifier { get; init; }
    public string? Title { get; set; }
    public bool Locked { get; set; }

    /// <summary>Published comments, tombstones excluded.</summary>
    public int CommentCount { get; set; }

    /// <summary>
    /// When a comment last became public here (posted, approved, imported): the inbox orders a person's conversations by
    /// it. Set in the statement that counts the comment, so it costs a post nothing more; a comment taken down later
    /// does not move it back.
    /// </summary>
    public DateTime? LastCommentAt { get; set; }

    /// <summary>
    /// The place of the thread's last log entry. Moved only by one atomic increment in the writing transaction (see
    /// <see cref="ThreadLog"/>), never through this property, which is a snapshot when the row was read.
    /// </summary>
    public long EventSeq { get; private set; }
    public DateTime CreatedAt { get; init; }
}

sealed class CommentThreadConfiguration : IEntityTypeConfiguration<CommentThread>
{
    public void Configure(EntityTypeBuilder<CommentThread> builder)
    {
        builder.ToTable("Threads");
        builder.HasIndex(t => new { t.SiteId, t.Key }).IsUnique();
        builder.Property(t => t.Key).HasMaxLength(2100);
        builder.Property(t => t.Url).HasMaxLength(2048);
        builder.Property(t => t.Identifier).HasMaxLength(200);
        builder.Property(t => t.Title).HasMaxLength(300);
        builder.HasOne<Site>().WithMany().HasForeignKey(t => t.SiteId).OnDelete(DeleteBehavior.Cascade);
        // Moved by ThreadLog's atomic increment alone: a thread saved from a stale copy must not put it back.
        builder.Property(t => t.EventSeq).Metadata.SetAfterSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
    }
}
