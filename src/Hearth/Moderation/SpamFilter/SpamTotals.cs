using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Moderation.SpamFilter;

/// <summary>
/// A site's sums over its token counts, kept up to date as it learns so scoring never adds them up: comments and
/// tokens learned on each side, and how many distinct tokens it knows.
/// </summary>
public sealed class SpamTotals
{
    public long SiteId { get; init; }
    public int SpamComments { get; set; }
    public int HamComments { get; set; }
    public long SpamTokens { get; set; }
    public long HamTokens { get; set; }
    public int Vocabulary { get; set; }
}

sealed class SpamTotalsConfiguration : IEntityTypeConfiguration<SpamTotals>
{
    public void Configure(EntityTypeBuilder<SpamTotals> builder)
    {
        builder.ToTable("SpamTotals");
        builder.HasKey(t => t.SiteId);
        builder.HasOne<Sites.Site>().WithOne().HasForeignKey<SpamTotals>(t => t.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}
