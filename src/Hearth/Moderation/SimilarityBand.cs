using Hearth.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Moderation;

/// <summary>
/// One band of a recent comment's fingerprint (<see cref="SimilarWords"/>), kept for a day so new comments can be
/// compared with the day's comments by an index lookup rather than by reading them.
/// </summary>
public sealed class SimilarityBand
{
    public long SiteId { get; init; }
    public long Hash { get; init; }
    public long CommentId { get; init; }
    public DateTime CreatedAt { get; init; }

    public static IEnumerable<SimilarityBand> For(Comment comment, RenderedMarkdown body) =>
        body.Fingerprint is { } bands
            ? bands.Distinct().Select(hash => new SimilarityBand { SiteId = comment.SiteId, Hash = hash, CommentId = comment.Id, CreatedAt = comment.CreatedAt })
            : [];
}

sealed class SimilarityBandConfiguration : IEntityTypeConfiguration<SimilarityBand>
{
    public void Configure(EntityTypeBuilder<SimilarityBand> builder)
    {
        builder.ToTable("SimilarityBands");
        builder.HasKey(b => new { b.SiteId, b.Hash, b.CommentId });
        builder.HasIndex(b => b.CreatedAt);
        builder.HasIndex(b => b.CommentId);
        builder.HasOne<Comment>().WithMany().HasForeignKey(b => b.CommentId).OnDelete(DeleteBehavior.Cascade);
    }
}
