using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Moderation;

/// <summary>
/// Someone a site will not hear from, for a while or for good: an account, an e-mail address or an address's hash
/// (never the address itself). A shadow ban stores what they write and shows it to nobody, so they do not simply
/// come back under another name.
/// </summary>
public sealed class Ban
{
    public const string User = "user";
    public const string Email = "email";
    public const string Ip = "ip";

    public long Id { get; private set; }
    public long SiteId { get; init; }
    public required string Kind { get; init; }
    public required string Value { get; init; }
    public required string Reason { get; init; }
    public DateTime? Until { get; init; }
    public bool Shadow { get; init; }
    public required string CreatedBy { get; init; }
    public DateTime CreatedAt { get; init; }

    public bool IsActive(DateTime now) => Until is null || Until > now;

    /// <summary>
    /// The value a ban keeps once the account it was about is deleted: a keyed hash of the e-mail address (or of the
    /// address hash), which still matches whoever comes back with it but cannot be read back or joined with anything
    /// else Hearth holds. Plain values never start with '#': e-mail addresses, ids and address hashes cannot. Text an
    /// earlier version kept in an ip ban that names no single address is sealed the same way (<see cref="IpBanRepair"/>).
    /// </summary>
    public static string Sealed(InstanceKey keys, string kind, string value) => "#" + keys.Hash("ban " + kind, value);
}

sealed class BanConfiguration : IEntityTypeConfiguration<Ban>
{
    public void Configure(EntityTypeBuilder<Ban> builder)
    {
        builder.Property(b => b.Kind).HasMaxLength(8);
        builder.Property(b => b.Value).HasMaxLength(254);
        builder.Property(b => b.Reason).HasMaxLength(300);
        builder.Property(b => b.CreatedBy).HasMaxLength(80);
        builder.HasIndex(b => new { b.SiteId, b.Kind, b.Value });
        builder.HasOne<Sites.Site>().WithMany().HasForeignKey(b => b.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}
