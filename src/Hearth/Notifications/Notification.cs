using Hearth.Conversations;
using Hearth.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Notifications;

/// <summary>
/// Something in a conversation that is for one person: a reply to one of their comments, or a new comment in a
/// conversation they follow. It points at the
/// comment and holds none of its words, so what the inbox shows is the comment as it is now: a reply that is later
/// rejected, deleted or taken down leaves the inbox with it.
/// </summary>
public sealed class Notification
{
    public const string Reply = "reply";

    /// <summary>A comment that names the person (@name).</summary>
    public const string Mention = "mention";

    /// <summary>A new comment in a conversation the person follows.</summary>
    public const string Followed = "followed";

    /// <summary>A new public comment of a person the account follows on that site.</summary>
    public const string FollowedPerson = "followed-person";

    /// <summary>The person's own comment, held for a moderator, was published by one (<see cref="HeldOutcomeNotifications"/>).</summary>
    public const string Approved = "approved";

    /// <summary>The person's own comment, held for a moderator, was turned down: shown and mailed without its words.</summary>
    public const string Declined = "declined";

    /// <summary>
    /// The kinds that tell of someone else's comment; the others (a held comment's outcome, a welcome) are about the
    /// person's own. Nobody is told of their own words as news.
    /// </summary>
    public static readonly string[] AboutOthers = [Reply, Mention, Followed, FollowedPerson];

    public long Id { get; private set; }

    /// <summary>The account it is for (a member, or a person a site signs in).</summary>
    public long UserId { get; init; }
    public long SiteId { get; init; }
    public long ThreadId { get; init; }
    public long CommentId { get; init; }
    public string Kind { get; init; } = Reply;
    public DateTime CreatedAt { get; init; }
    public DateTime? ReadAt { get; set; }

    /// <summary>
    /// When the e-mail job dealt with it: mailed (alone or in a digest), or left out for good (the person wants no mail
    /// of this kind or has no confirmed address, the comment is no longer public, or it was read before its digest).
    /// Set in the same transaction that queues the message, so it is mailed at most once and never forgotten.
    /// </summary>
    public DateTime? MailedAt { get; set; }
}

sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("Notifications");
        builder.Property(n => n.Kind).HasMaxLength(16);
        // The inbox reads a person's newest comments first through the unique key, which also lets every writer insert
        // without reading first (a reply approved twice, or on two nodes at once, notifies once).
        builder.HasIndex(n => new { n.UserId, n.CommentId, n.Kind }).IsUnique();
        builder.HasIndex(n => n.CommentId);
        // The e-mail job's queue: what it has not dealt with yet.
        builder.HasIndex(n => new { n.MailedAt, n.UserId, n.Kind });
        // What has outlived Hearth:NotificationsKeptFor: read from the oldest end, so the hourly round touches only them.
        builder.HasIndex(n => n.CreatedAt);
        builder.HasOne<HearthUser>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Comment>().WithMany().HasForeignKey(n => n.CommentId).OnDelete(DeleteBehavior.Cascade);
    }
}
