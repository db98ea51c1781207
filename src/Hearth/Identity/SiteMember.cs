using Hearth.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Identity;

/// <summary>What a person is on one site: their role there, and the badges the site gives them (e.g. verified-buyer).</summary>
public sealed class SiteMember
{
    public long SiteId { get; init; }
    public long UserId { get; init; }
    public List<string> Badges { get; set; } = [];
    public SiteRole? Role { get; set; }

    /// <summary>The address the site gave through single sign-on: for the site's moderators, never shown, never a login.</summary>
    public string? Email { get; set; }
    public DateTime JoinedAt { get; init; }
}

sealed class SiteMemberConfiguration : IEntityTypeConfiguration<SiteMember>
{
    public void Configure(EntityTypeBuilder<SiteMember> builder)
    {
        builder.HasKey(m => new { m.SiteId, m.UserId });
        builder.HasOne<Site>().WithMany().HasForeignKey(m => m.SiteId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<HearthUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(m => m.UserId);
        builder.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.Email).HasMaxLength(254);
    }
}
