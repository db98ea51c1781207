using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Identity;

/// <summary>
/// A person with an account on this instance: one profile across every site. People a site vouches for through
/// single sign-on are users too, found again by their external login (the site and the site's own user id).
/// </summary>
public sealed class HearthUser : IdentityUser<long>
{
    public string DisplayName { get; set; } = "";
    public string? Website { get; set; }

    /// <summary>A few words about the person, plain text, shown on their public profile.</summary>
    public string? Bio { get; set; }

    /// <summary>An https picture the person's site gave for them; shown once avatars can be imported.</summary>
    public string? PictureUrl { get; set; }
    public DateTime CreatedAt { get; init; }

    /// <summary>Runs the instance: may act on every site.</summary>
    public bool IsAdmin { get; set; }

    /// <summary>Commenting follows the conversation (its new comments reach the inbox); the person can turn it off.</summary>
    public bool FollowOnComment { get; set; } = true;

    /// <summary>
    /// The site whose single sign-on made this person: they belong to that site alone. Null for an account someone made
    /// on Hearth, including one that later linked a site's sign-in (the login moves to it; this row stays as it was).
    /// </summary>
    public long? SsoSiteId { get; init; }

    /// <summary>
    /// Whether the person has a public page at /people/{id}: an account has, a person a site signed in has not. The
    /// profile page and whatever links to it (a mention, see Conversations.MentionLinks) ask this one question.
    /// </summary>
    public static bool HasPublicProfile(long? ssoSiteId) => ssoSiteId is null;
}

sealed class HearthUserConfiguration : IEntityTypeConfiguration<HearthUser>
{
    public void Configure(EntityTypeBuilder<HearthUser> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(80);
        builder.Property(u => u.Website).HasMaxLength(300);
        builder.Property(u => u.Bio).HasMaxLength(300);
        builder.Property(u => u.PictureUrl).HasMaxLength(500);
        // The few admins, found without reading every user: each guest's name is compared with theirs.
        builder.HasIndex(u => u.IsAdmin).HasFilter("\"IsAdmin\"");
        // A site's own people, found when the site is removed without reading every user.
        builder.HasIndex(u => u.SsoSiteId).HasFilter("\"SsoSiteId\" IS NOT NULL");
        // One account per address, whichever node takes the sign-up: two sign-ups at once with one address must not both
        // be stored, or every later look-up of that address would find two. Accounts without an address (NULL) are many.
        // Addresses held twice before this index existed are moved aside by the migration that made it (UniqueEmail).
        builder.HasIndex(u => u.NormalizedEmail).HasDatabaseName("EmailIndex").IsUnique();
    }
}
