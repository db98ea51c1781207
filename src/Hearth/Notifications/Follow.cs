using Hearth.Conversations;
using Hearth.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Notifications;

/// <summary>
/// A person's choice about one conversation: following it (new comments reach their inbox) or muting it (nothing
/// from it does, replies to them included). Commenting follows a conversation unless the person turned that off; a
/// conversation they muted stays muted when they comment again.
/// </summary>
public sealed class Follow
{
    public const string Following = "following";
    public const string Muted = "muted";

    public long UserId { get; init; }
    public long ThreadId { get; init; }
    public long SiteId { get; init; }
    public string State { get; set; } = Following;
    public DateTime CreatedAt { get; set; }

    /// <summary>Only comments after this one are handed out to the follower: what was there before they followed, they have seen.</summary>
    public long SinceCommentId { get; set; }
}

sealed class FollowConfiguration : IEntityTypeConfiguration<Follow>
{
    public void Configure(EntityTypeBuilder<Follow> builder)
    {
        builder.ToTable("Follows");
        builder.HasKey(f => new { f.UserId, f.ThreadId });
        builder.Property(f => f.State).HasMaxLength(16);
        // The followers of a thread, when its new comments are handed out.
        builder.HasIndex(f => new { f.ThreadId, f.State });
        builder.HasOne<HearthUser>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<CommentThread>().WithMany().HasForeignKey(f => f.ThreadId).OnDelete(DeleteBehavior.Cascade);
    }
}
