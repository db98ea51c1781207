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
    /// <summary>A person's first comment on the site waits; once one is approved, later ones publish at once.</summary>
    First,
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

    /// <summary>
    /// Whether the site's community page (/sites/{name}/community and its API) is public. Off until the owner turns it
    /// on: it gathers what people said across the site into lists of who comments most and who just arrived, a view of
    /// them nobody agreed to by commenting on one page, so publishing it is the owner's decision, made knowingly.
    /// </summary>
    public bool CommunityPage { get; set; }

    /// <summary>Whether the site's liveliest conversations may appear on the instance's Explore page. Off until the owner opts in.</summary>
    public bool ListOnExplore { get; set; }

    /// <summary>Only signed-in people may comment (through an account or the site's single sign-on).</summary>
    public bool RequireSignIn { get; set; }

    /// <summary>
    /// A comment with more links than this, or with little besides links, waits for a moderator. Null: links are
    /// not looked at (the default, so a new site does not hold its readers' sources).
    /// </summary>
    public int? MaxLinks { get; set; }

    /// <summary>Words or phrases that keep a comment from ever being shown (moderators still see it).</summary>
    public List<string> BannedWords { get; set; } = [];

    /// <summary>Words or phrases that make a comment wait for a moderator.</summary>
    public List<string> SuspectWords { get; set; } = [];

    /// <summary>This many readers reporting a comment take it down until a moderator looks.</summary>
    public int ReportThreshold { get; set; } = 3;

    /// <summary>
    /// The owner's words to someone with an account whose first comment here is published: sent to their inbox as a
    /// "welcome" notification with that comment. Null: no welcome is sent.
    /// </summary>
    public string? WelcomeMessage { get; set; }

    /// <summary>Threads take no new comments this many days after they began (null: never close).</summary>
    public int? CloseAfterDays { get; set; }

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
        builder.Property(s => s.WelcomeMessage).HasMaxLength(Sites.SiteSettingsChange.WelcomeMessageLimit);
    }
}
