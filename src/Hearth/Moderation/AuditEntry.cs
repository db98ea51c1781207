using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Moderation;

/// <summary>
/// One thing a moderator, owner, admin or the command line did: who, what, to what, when, and the state before and
/// after (never a secret). The actor's name is copied, and there is no foreign key to their account: the log
/// outlives the account.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; private set; }

    /// <summary>The site; null for the instance as a whole (an admin's role), shown in every site's log.</summary>
    public long? SiteId { get; init; }

    public long? ActorUserId { get; init; }
    public required string ActorName { get; init; }
    public required string Action { get; init; }
    public required string Target { get; init; }
    public string? Before { get; init; }
    public string? After { get; init; }
    public DateTime At { get; init; }

    public static string CommentTarget(long commentId) => $"comment {commentId}";

    /// <summary>A person's account, with the name they had, so the log reads without a lookup.</summary>
    public static string UserTarget(long userId, string name)
    {
        var target = $"{UserTargetPrefix(userId)}{name})";
        return target.Length <= 64 ? target : target[..62] + "…)";
    }

    public static string UserTargetPrefix(long userId) => $"user {userId} (";
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
