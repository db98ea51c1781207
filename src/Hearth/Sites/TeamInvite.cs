using Hearth.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Sites;

/// <summary>
/// An owner's invitation to join a site's team, sent to an e-mail address: the link in the message carries a secret
/// whose hash is kept here, so the row alone lets nobody in. It works once, for the account confirmed with that address,
/// until it expires or an owner takes it back.
/// </summary>
public sealed class TeamInvite
{
    public long Id { get; private set; }
    public long SiteId { get; init; }

    /// <summary>The address, lower-case: the account that accepts must be confirmed with it.</summary>
    public required string Email { get; init; }
    public SiteRole Role { get; init; }

    /// <summary>SHA-256 of the link's secret, hex.</summary>
    public required string TokenHash { get; init; }
    public long? InvitedByUserId { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime ExpiresAt { get; init; }
}

sealed class TeamInviteConfiguration : IEntityTypeConfiguration<TeamInvite>
{
    public void Configure(EntityTypeBuilder<TeamInvite> builder)
    {
        builder.ToTable("TeamInvites");
        builder.Property(i => i.Email).HasMaxLength(254);
        builder.Property(i => i.Role).HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.TokenHash).HasMaxLength(64);
        builder.HasIndex(i => i.TokenHash).IsUnique();
        // One invitation per address and site: inviting again replaces it.
        builder.HasIndex(i => new { i.SiteId, i.Email }).IsUnique();
        builder.HasOne<Site>().WithMany().HasForeignKey(i => i.SiteId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<HearthUser>().WithMany().HasForeignKey(i => i.InvitedByUserId).OnDelete(DeleteBehavior.SetNull);
    }
}
