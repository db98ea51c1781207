using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Mail;

/// <summary>
/// An e-mail waiting to go out. The row goes once the mail server has accepted the message (so links and addresses
/// are not kept longer than needed), or once <see cref="MailDelivery.GiveUpAfter"/> has passed without success.
/// </summary>
public sealed class QueuedMail
{
    public long Id { get; init; }
    public required string To { get; init; }
    public required string Subject { get; init; }
    public required string Text { get; init; }

    /// <summary>The HTML part, for messages that have one (notifications).</summary>
    public string? Html { get; init; }

    /// <summary>The one-click unsubscribe address the message names in its List-Unsubscribe header.</summary>
    public string? Unsubscribe { get; init; }
    public DateTime CreatedAt { get; init; }

    /// <summary>When the next try may start; a sender pushes it forward while it tries, so no other takes the same message.</summary>
    public DateTime NextAttemptAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>Why the last try failed, for the operator.</summary>
    public string? LastError { get; set; }

    public OutgoingMail ToMail() => new(To, Subject, Text, Html, Unsubscribe);
}

sealed class QueuedMailConfiguration : IEntityTypeConfiguration<QueuedMail>
{
    public void Configure(EntityTypeBuilder<QueuedMail> builder)
    {
        builder.ToTable("MailQueue");
        builder.Property(m => m.To).HasMaxLength(320);
        builder.Property(m => m.Subject).HasMaxLength(300);
        builder.Property(m => m.LastError).HasMaxLength(500);
        builder.Property(m => m.Unsubscribe).HasMaxLength(1000);
        builder.HasIndex(m => m.NextAttemptAt);
    }
}
