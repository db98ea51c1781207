using Hearth.Conversations;
using Hearth.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Notifications;

/// <summary>
/// Whom an "@name" of a published comment reached when it was stored (or last edited): the person of the conversation
/// who wrote under that name then. Only the pairing is kept, never words or a display name: a page of the thread links
/// the mention to the person's profile as it reads the comment (<see cref="Conversations.MentionLinks"/>), so a rename, a hidden
/// profile or a deleted account (the row goes with the user) shows at once, and another person taking the name later
/// does not take the mention.
/// </summary>
public sealed class CommentMention
{
    public long CommentId { get; init; }
    public long UserId { get; init; }

    /// <summary>The mention as it is compared: lower case, without spaces, as the comment wrote it (see <see cref="Mentions.In"/>).</summary>
    public string Name { get; init; } = "";
}

sealed class CommentMentionConfiguration : IEntityTypeConfiguration<CommentMention>
{
    public void Configure(EntityTypeBuilder<CommentMention> builder)
    {
        builder.ToTable("CommentMentions");
        builder.HasKey(m => new { m.CommentId, m.UserId });
        builder.Property(m => m.Name).HasMaxLength(80);
        // The comments that link to a person, when their account goes (see Accounts.AccountDeletion).
        builder.HasIndex(m => m.UserId);
        builder.HasOne<Comment>().WithMany().HasForeignKey(m => m.CommentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<HearthUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
