using Hearth.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.GuestReplies;

/// <summary>
/// A guest's wish to get replies to their comments on one site by e-mail, for the guest key their comments carry (their
/// name and address). Pending until the address's owner opens the confirmation link; only then is anything else mailed
/// to it. Ended by the signed link in every reply e-mail, or when an account claims the guest's comments. Holds nothing
/// but what the mail needs: no name, no comment, no client address.
/// </summary>
public sealed class GuestSubscription
{
    public const string Pending = "pending";
    public const string Confirmed = "confirmed";

    public long Id { get; private set; }
    public long SiteId { get; init; }

    /// <summary>The guest's author key (<see cref="Conversations.PostComment.GuestKey"/>), as their comments carry it.</summary>
    public required string GuestKey { get; init; }
    public required string Email { get; init; }
    public string State { get; set; } = Pending;
    public DateTime CreatedAt { get; init; }
    public DateTime? ConfirmedAt { get; set; }

    /// <summary>When a confirmation mail was last sent: at most one a day per address and site.</summary>
    public DateTime LastAskedAt { get; set; }
}

/// <summary>A reply mailed to a subscription: what the background job looks up so that no reply is mailed twice.</summary>
public sealed class GuestReplyMail
{
    public long SubscriptionId { get; init; }
    public long CommentId { get; init; }
    public DateTime MailedAt { get; init; }
}

sealed class GuestSubscriptionConfiguration : IEntityTypeConfiguration<GuestSubscription>
{
    public void Configure(EntityTypeBuilder<GuestSubscription> builder)
    {
        builder.ToTable("GuestSubscriptions");
        builder.Property(s => s.GuestKey).HasMaxLength(64);
        builder.Property(s => s.Email).HasMaxLength(320);
        builder.Property(s => s.State).HasMaxLength(16);
        builder.HasIndex(s => new { s.SiteId, s.GuestKey }).IsUnique();
        // The daily limit per address and site, and a claim ending an address's subscriptions on every site.
        builder.HasIndex(s => new { s.Email, s.SiteId });
        // Unconfirmed ones whose link has expired are dropped.
        builder.HasIndex(s => new { s.State, s.LastAskedAt });
        builder.HasOne<Site>().WithMany().HasForeignKey(s => s.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class GuestReplyMailConfiguration : IEntityTypeConfiguration<GuestReplyMail>
{
    public void Configure(EntityTypeBuilder<GuestReplyMail> builder)
    {
        builder.ToTable("GuestReplyMails");
        builder.HasKey(m => new { m.SubscriptionId, m.CommentId });
        builder.HasIndex(m => m.MailedAt);
        builder.HasOne<GuestSubscription>().WithMany().HasForeignKey(m => m.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
    }
}
