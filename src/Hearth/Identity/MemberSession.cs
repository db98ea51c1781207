using Hearth.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Identity;

/// <summary>
/// One signed-in device. The access token is shown once; only its SHA-256 is kept, so a copy of the database
/// signs nobody in. A session from single sign-on belongs to the one site that vouched for the person.
/// </summary>
public sealed class MemberSession
{
    public long Id { get; private set; }
    public long UserId { get; init; }
    public long? SiteId { get; init; }
    public required string Kind { get; init; }
    public required string TokenHash { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime ExpiresAt { get; init; }
    public DateTime LastSeenAt { get; set; }

    /// <summary>The browser, in a few words, so a person can tell their sessions apart.</summary>
    public string? Device { get; init; }

    /// <summary>A new session from now for that long, with its access token: shown once, kept only as a hash.</summary>
    public static (MemberSession Session, string Token) Start(long userId, long? siteId, string kind, DateTime now, TimeSpan lifetime, string? device)
    {
        var token = SessionTokens.NewToken();
        return (new MemberSession
        {
            UserId = userId,
            SiteId = siteId,
            Kind = kind,
            TokenHash = SessionTokens.Hash(token),
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + lifetime,
            Device = device,
        }, token);
    }

    public const string SingleSignOn = "sso";
    public const string Widget = "widget";

    /// <summary>A token a site's owner or moderator made on their account page to run the site through the API.</summary>
    public const string Api = "api";

    /// <summary>The moderation page's own short session, made each time a moderator opens it from their account.</summary>
    public const string ModerationPage = "moderation";

    /// <summary>Sessions that may run a site: never the widget's, whose token a host page's scripts can read.</summary>
    public static bool RunsSites(string kind) => kind is Api or ModerationPage;
}

sealed class MemberSessionConfiguration : IEntityTypeConfiguration<MemberSession>
{
    public void Configure(EntityTypeBuilder<MemberSession> builder)
    {
        builder.Property(s => s.Kind).HasMaxLength(16);
        builder.Property(s => s.TokenHash).HasMaxLength(64);
        builder.Property(s => s.Device).HasMaxLength(120);
        builder.HasIndex(s => s.TokenHash).IsUnique();
        builder.HasIndex(s => s.UserId);
        builder.HasOne<HearthUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Site>().WithMany().HasForeignKey(s => s.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}
