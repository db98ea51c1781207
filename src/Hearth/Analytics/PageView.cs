using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Analytics;

/// <summary>
/// How many times a page's thread was opened in the widget on one UTC day: a count, nothing about who opened it (no
/// cookie, no address, no browser). The page is named by a hash of its thread's key, so a page without comments yet is
/// counted too and the row stays small.
/// </summary>
public sealed class PageView
{
    public long SiteId { get; init; }
    public string ThreadKeyHash { get; init; } = "";
    public DateOnly Day { get; init; }
    public long Views { get; init; }

    public static string Hash(string threadKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(threadKey)));
}

/// <summary>The last time the widget was opened from a page of one of a site's origins: the console's "does it load?".</summary>
public sealed class WidgetOrigin
{
    public long SiteId { get; init; }
    public string Origin { get; init; } = "";
    public DateTime LastSeenAt { get; init; }
}

sealed class PageViewConfiguration : IEntityTypeConfiguration<PageView>
{
    public void Configure(EntityTypeBuilder<PageView> builder)
    {
        builder.ToTable("PageViews");
        builder.HasKey(v => new { v.SiteId, v.ThreadKeyHash, v.Day });
        builder.Property(v => v.ThreadKeyHash).HasMaxLength(64);
        // A site's views over a range of days.
        builder.HasIndex(v => new { v.SiteId, v.Day });
        builder.HasOne<Sites.Site>().WithMany().HasForeignKey(v => v.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class WidgetOriginConfiguration : IEntityTypeConfiguration<WidgetOrigin>
{
    public void Configure(EntityTypeBuilder<WidgetOrigin> builder)
    {
        builder.ToTable("WidgetOrigins");
        builder.HasKey(o => new { o.SiteId, o.Origin });
        builder.Property(o => o.Origin).HasMaxLength(300);
        builder.HasOne<Sites.Site>().WithMany().HasForeignKey(o => o.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}
