using Hearth.Identity;
using Hearth.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Notifications;

/// <summary>
/// An account's choice about one person of a site: following them (their new public comments there reach the
/// account's inbox) or muting them (nothing they write there notifies the account, and the widget folds their comments
/// away for it). Only a member or a person the site signs in can be followed or muted, never a guest: a guest's key is
/// a name and an address anyone can type. Private to the account: no one else ever reads it.
/// </summary>
public sealed class PersonFollow
{
    public const string Following = "following";
    public const string Muted = "muted";

    /// <summary>The account that follows or mutes.</summary>
    public long UserId { get; init; }

    /// <summary>The person followed or muted (a row of <see cref="Person"/>, of <see cref="SiteId"/>).</summary>
    public long PersonId { get; init; }
    public long SiteId { get; init; }
    public string State { get; set; } = Following;
    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// Only comments after this one are handed out to the follower: what the person wrote before, the follower could
    /// see when they chose to follow (and the hand-out, which looks back over the log, must not bring it as new).
    /// </summary>
    public long SinceCommentId { get; set; }
}

sealed class PersonFollowConfiguration : IEntityTypeConfiguration<PersonFollow>
{
    public void Configure(EntityTypeBuilder<PersonFollow> builder)
    {
        builder.ToTable("PersonFollows");
        builder.HasKey(f => new { f.UserId, f.PersonId });
        builder.Property(f => f.State).HasMaxLength(16);
        // A person's followers in slices, in the order of their accounts (PersonFanout), and whether they have any.
        builder.HasIndex(f => new { f.PersonId, f.State, f.UserId });
        // The account's own list on one site (the widget's muted people, the account page).
        builder.HasIndex(f => new { f.UserId, f.SiteId, f.State });
        builder.HasOne<HearthUser>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(f => f.PersonId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Sites.Site>().WithMany().HasForeignKey(f => f.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// A published comment of someone with followers, being handed out to them in slices (<see cref="PersonFanoutWork"/>):
/// where the hand-out got to is kept here, so a person with a hundred thousand followers costs a hundred short
/// transactions in the background, and their post costs what anyone's does.
/// </summary>
public sealed class PersonFanout
{
    public long CommentId { get; init; }
    public long SiteId { get; init; }
    public long ThreadId { get; init; }
    public long PersonId { get; init; }

    /// <summary>The log entry that made it; a done row goes once the hand-out's look-back has passed it, so it is not made again.</summary>
    public long EventId { get; init; }

    /// <summary>The followers up to this account id have been handed it.</summary>
    public long NextUserId { get; set; }
    public bool Done { get; set; }
}

sealed class PersonFanoutConfiguration : IEntityTypeConfiguration<PersonFanout>
{
    public void Configure(EntityTypeBuilder<PersonFanout> builder)
    {
        builder.ToTable("PersonFanouts");
        builder.HasKey(f => f.CommentId);
        builder.Property(f => f.CommentId).ValueGeneratedNever();
        builder.HasIndex(f => new { f.Done, f.EventId });
        builder.HasOne<Conversations.Comment>().WithMany().HasForeignKey(f => f.CommentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(f => f.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
