using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Moderation;

/// <summary>
/// One thing a moderator or owner did: who, what, to what, when, and the state before and after. The actor's name
/// is copied, and there is no foreign key to their account: the log outlives the account.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; private set; }
    public long SiteId { get; init; }
    public long? ActorUserId { get; init; }
    public required string ActorName { get; init; }
    public required string Action { get; init; }
    public required string Target { get; init; }
    public string? Before { get; init; }
    public string? After { get; init; }
    public DateTime At { get; init; }
}

sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.Property(a => a.ActorName).HasMaxLength(80);
        builder.Property(a => a.Action).HasMaxLength(32);
        builder.Property(a => a.Target).HasMaxLength(64);
        builder.Property(a => a.Before).HasMaxLength(4000);
        builder.Property(a => a.After).HasMaxLength(4000);
        builder.HasIndex(a => new { a.SiteId, a.Id });
    }
}
