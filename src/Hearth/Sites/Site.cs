using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Sites;

public enum ModerationMode
{
    /// <summary>Comments publish at once.</summary>
    Post,
    /// <summary>Every comment waits for a moderator.</summary>
    Pre,
}

/// <summary>A website whose pages carry Hearth conversations.</summary>
public sealed partial class Site
{
    public long Id { get; private set; }
    public required string Name { get; init; }
    public List<string> Origins { get; set; } = [];
    public ModerationMode Moderation { get; set; } = ModerationMode.Post;
    public DateTime CreatedAt { get; init; }

    /// <summary>The single sign-on secret, encrypted (see Identity/SsoSecrets); null until the owner asks for one.</summary>
    public string? SsoSecret { get; set; }

    /// <summary>Whether comments made here appear on their authors' public profiles (a site may keep them to itself).</summary>
    public bool ListOnProfiles { get; set; } = true;

    /// <summary>Names appear in URLs and the embed snippet, so they stay plain.</summary>
    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")]
    private static partial Regex NamePattern();
}

sealed class SiteConfiguration : IEntityTypeConfiguration<Site>
{
    public void Configure(EntityTypeBuilder<Site> builder)
    {
        builder.HasIndex(s => s.Name).IsUnique();
        builder.Property(s => s.Name).HasMaxLength(64);
        builder.Property(s => s.Moderation).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.SsoSecret).HasMaxLength(1000);
    }
}
