using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.People;

/// <summary>What kind of author a person is: a column, so nothing reads it from a user name.</summary>
public enum PersonKind
{
    Guest,
    Member,
    Sso,
}

/// <summary>
/// Everyone who comments on a site, once per site, by the key their comments carry: an account, a person the site
/// signed in, or a guest (name and address, hashed). The counters are kept by <see cref="PersonLedger"/> in the
/// transaction of each write that moves them; nothing here is ever shown to readers, and no address is stored.
/// </summary>
public sealed class Person
{
    public long Id { get; private set; }
    public long SiteId { get; init; }
    public PersonKind Kind { get; init; }

    /// <summary>The key the person's comments carry (<see cref="Conversations.CommentAuthor.Key"/>): unique on the site.</summary>
    public string Key { get; init; } = "";

    /// <summary>The account behind a member or an SSO person; null for a guest.</summary>
    public long? UserId { get; init; }

    /// <summary>The name of their latest comment.</summary>
    public string Name { get; init; } = "";

    /// <summary>Null only for an account that has not commented here, made to take over a guest's comments.</summary>
    public DateTime? FirstCommentAt { get; init; }
    public DateTime? LastCommentAt { get; init; }

    /// <summary>The UTC day of the latest comment: a comment on a later day adds one to DaysActive without reading anything.</summary>
    public DateOnly? LastActiveDay { get; init; }

    /// <summary>Comments stored, whatever became of them.</summary>
    public int Comments { get; init; }

    /// <summary>Comments that are public now.</summary>
    public int Approved { get; init; }

    /// <summary>Replies to someone else's comments.</summary>
    public int RepliesGiven { get; init; }

    /// <summary>Replies from someone else to this person's comments.</summary>
    public int RepliesReceived { get; init; }
    public int DaysActive { get; init; }

    /// <summary>Reports readers made against this person's comments.</summary>
    public int ReportsAgainst { get; init; }

    /// <summary>
    /// 0 new, 1 basic, 2 regular: earned from the counters by the thresholds of <see cref="TrustOptions"/>, kept by the
    /// statements that move them (<see cref="TrustLevels"/>).
    /// </summary>
    public int TrustLevel { get; init; }

    /// <summary>Reports upheld against the person: their comment taken down by readers, or rejected by a moderator.</summary>
    public int UpheldReports { get; init; }
    public DateTime? LastUpheldAt { get; init; }

    /// <summary>Their first comment here: the one the team answers to welcome them.</summary>
    public long? FirstCommentId { get; init; }

    /// <summary>
    /// The person this one became (a guest whose comments an account claimed, an SSO person linked to an account). The row
    /// stays as it was; its counters were added to that person's, and a count of people skips it.
    /// </summary>
    public long? MergedIntoId { get; init; }

    /// <summary>
    /// The member chose to show this site among the communities on their public profile (/account/communities). Off
    /// until they do: which sites someone comments on says a lot about them, and it is theirs to tell.
    /// </summary>
    public bool ShowOnProfile { get; init; }
}

sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> builder)
    {
        builder.ToTable("People");
        builder.Property(p => p.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.Key).HasMaxLength(64);
        builder.Property(p => p.Name).HasMaxLength(80);
        builder.HasIndex(p => new { p.SiteId, p.Key }).IsUnique();
        builder.HasIndex(p => p.UserId);
        // The team's lists: the most recent and the most prolific first.
        builder.HasIndex(p => new { p.SiteId, p.LastCommentAt });
        builder.HasIndex(p => new { p.SiteId, p.Comments });
        // Newcomers, oldest first.
        builder.HasIndex(p => new { p.SiteId, p.FirstCommentAt });
        // The community page's regulars, most recently seen first: the level is an equality, so the index gives the order.
        builder.HasIndex(p => new { p.SiteId, p.TrustLevel, p.LastCommentAt });
        // The people merged into another, which every dashboard report reads whole: few, so a small index of them alone.
        builder.HasIndex(p => new { p.SiteId, p.MergedIntoId }).HasFilter("\"MergedIntoId\" IS NOT NULL").HasDatabaseName("IX_People_Merged");
        builder.HasOne<Sites.Site>().WithMany().HasForeignKey(p => p.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}
