using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Conversations;

/// <summary>
/// The first answer to a request that carried an Idempotency-Key, replayed for its retries: which comment it gave and
/// with which status code. Not the comment's words: a retry gets the comment as it is now, so an edit, a deletion or
/// a moderator's decision is never undone by an old answer.
/// </summary>
public sealed class IdempotencyRecord
{
    public long Id { get; private set; }
    public long SiteId { get; init; }
    public required string Key { get; init; }

    /// <summary>Hash of the request body: the same key with a different body is a client bug, not a retry.</summary>
    public required string RequestHash { get; init; }
    public int StatusCode { get; init; }

    /// <summary>The comment the answer holds, so the answer goes when its author's account goes.</summary>
    public long? CommentId { get; init; }
    public DateTime CreatedAt { get; init; }

    /// <summary>A record written by hand, for the post path. Values: site, key, request hash, status code, comment, created.</summary>
    public const string Insert = """
        INSERT INTO "IdempotencyRecords" ("SiteId", "Key", "RequestHash", "StatusCode", "CommentId", "CreatedAt")
        VALUES ({0}, {1}, {2}, {3}, {4}, {5})
        """;
}

sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.HasIndex(r => new { r.SiteId, r.Key }).IsUnique();
        builder.HasIndex(r => r.CreatedAt);
        builder.HasIndex(r => r.CommentId);
        builder.Property(r => r.Key).HasMaxLength(128);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
    }
}
