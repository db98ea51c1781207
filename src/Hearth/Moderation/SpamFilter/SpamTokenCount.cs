using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Moderation.SpamFilter;

/// <summary>How many of a site's comments decided as spam, and as not spam, contained one token.</summary>
public sealed class SpamTokenCount
{
    public long SiteId { get; init; }
    public required string Token { get; init; }
    public int Spam { get; set; }
    public int Ham { get; set; }
}

sealed class SpamTokenCountConfiguration : IEntityTypeConfiguration<SpamTokenCount>
{
    public void Configure(EntityTypeBuilder<SpamTokenCount> builder)
    {
        builder.ToTable("SpamTokens");
        // The key is the one index scoring needs: a site's counts for the tokens of one comment.
        builder.HasKey(c => new { c.SiteId, c.Token });
        builder.Property(c => c.Token).HasMaxLength(SpamFeatures.MaxTokenLength);
        builder.HasOne<Sites.Site>().WithMany().HasForeignKey(c => c.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}
