using Hearth.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Notifications;

/// <summary>
/// How a person wants one kind of notification by e-mail. Only a choice that differs from the default is stored; a
/// person without a row gets <see cref="Default"/>.
/// </summary>
public sealed class MailPreference
{
    public const string Immediately = "immediately";
    public const string Hourly = "hourly";
    public const string Daily = "daily";
    public const string Never = "never";

    public static readonly string[] Deliveries = [Immediately, Hourly, Daily, Never];

    /// <summary>The outcome of a held comment, approved or declined: one choice for both.</summary>
    public const string Held = "held";

    public static readonly string[] Kinds = [Notification.Reply, Notification.Mention, Notification.Followed, Notification.FollowedPerson, Held];

    public long UserId { get; init; }
    public string Kind { get; init; } = Notification.Reply;
    public string Delivery { get; set; } = Immediately;

    /// <summary>
    /// A reply to you is worth knowing at once; a conversation or a person you follow can wait for the day's digest: a
    /// person who writes a lot would otherwise fill the mailbox, and following someone means wanting to read them, not to
    /// be interrupted by them. Being named is like being answered; someone whose comment waits for a moderator is waiting
    /// for the answer too. Mentions were mailed under the choice for replies before they had their own: until a person
    /// chooses for mentions, their choice for replies holds for them (<see cref="MailPreferences"/>).
    /// </summary>
    public static string Default(string kind) => kind is Notification.Reply or Notification.Mention or Held ? Immediately : Daily;

    public static bool IsDelivery(string? value) => value is Immediately or Hourly or Daily or Never;
}

sealed class MailPreferenceConfiguration : IEntityTypeConfiguration<MailPreference>
{
    public void Configure(EntityTypeBuilder<MailPreference> builder)
    {
        builder.ToTable("MailPreferences");
        builder.HasKey(p => new { p.UserId, p.Kind });
        builder.Property(p => p.Kind).HasMaxLength(16);
        builder.Property(p => p.Delivery).HasMaxLength(16);
        builder.HasOne<HearthUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
