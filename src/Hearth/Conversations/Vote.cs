using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Conversations;

/// <summary>One voter's current vote on one comment. Guests are known only by a keyed hash.</summary>
public sealed class Vote
{
    public long CommentId { get; init; }
    public required string VoterKey { get; init; }
    public int Value { get; set; }
    public DateTime CastAt { get; set; }
}

sealed class VoteConfiguration : IEntityTypeConfiguration<Vote>
{
    public void Configure(EntityTypeBuilder<Vote> builder)
    {
        builder.HasKey(v => new { v.CommentId, v.VoterKey });
        builder.Property(v => v.VoterKey).HasMaxLength(64);
        builder.HasOne<Comment>().WithMany().HasForeignKey(v => v.CommentId).OnDelete(DeleteBehavior.Cascade);
    }
}
