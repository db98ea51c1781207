using Hearth.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Moderation;

/// <summary>A reader's report: one per reader per comment. Who reported is kept only as a key, and shown to nobody.</summary>
public sealed class CommentReport
{
    public long Id { get; private set; }
    public long SiteId { get; init; }
    public long CommentId { get; init; }
    public required string ReporterKey { get; init; }
    public required string Reason { get; init; }
    public DateTime CreatedAt { get; init; }
}

sealed class CommentReportConfiguration : IEntityTypeConfiguration<CommentReport>
{
    public void Configure(EntityTypeBuilder<CommentReport> builder)
    {
        builder.Property(r => r.ReporterKey).HasMaxLength(64);
        builder.Property(r => r.Reason).HasMaxLength(300);
        builder.HasIndex(r => new { r.CommentId, r.ReporterKey }).IsUnique();
        builder.HasIndex(r => r.SiteId);
        builder.HasOne<Comment>().WithMany().HasForeignKey(r => r.CommentId).OnDelete(DeleteBehavior.Cascade);
    }
}
