using System.Security.Cryptography;
using System.Text;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Identity;

/// <summary>A signed-in person as a request sees them: the user, the session, and the site the session is for.</summary>
public sealed record Member(long UserId, long SessionId, long? SiteId, string Name, string? Email, string? Website, IReadOnlyList<string> Badges)
{
    /// <summary>The person's role on the site the request is about (null: none).</summary>
    public SiteRole? Role { get; init; }
    public bool IsAdmin { get; init; }

    /// <summary>The address of the picture they uploaded, or null for the generated one.</summary>
    public string? Avatar { get; init; }

    /// <summary>How the session began: "sso", "widget", or "api" (a token made on the account page to run a site).</summary>
    public string Kind { get; init; } = "";

    /// <summary>Whether commenting follows the conversation for them (their account's choice).</summary>
    public bool FollowOnComment { get; init; }
}

/// <summary>Access tokens: random, shown once, stored as a SHA-256 so the database alone signs nobody in.</summary>
public sealed class SessionTokens(HearthDb db, TimeProvider clock)
{
    const string Prefix = "hat_";

    public static string NewToken() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>The member behind an Authorization: Bearer token on a request about this site, or why there is none.</summary>
    public async Task<(Member? Member, string? Refusal)> ResolveAsync(string token, long siteId, CancellationToken ct)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 100)
        {
            return (null, "The access token is not one Hearth issued.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var hash = Hash(token);
        var found = await db.MemberSessions.AsNoTracking()
            .Where(s => s.TokenHash == hash)
            .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new { Session = s, User = u })
            .FirstOrDefaultAsync(ct);
        if (found is null || found.Session.ExpiresAt <= now)
        {
            return (null, "The access token has expired or was signed out. Sign in again.");
        }
        // A site vouches for its people on its own pages only: its token is worthless anywhere else.
        if (found.Session.SiteId is { } sessionSite && sessionSite != siteId)
        {
            return (null, "This access token belongs to another site.");
        }
        return (await OnSiteAsync(found.User, found.Session.Id, found.Session.SiteId, found.Session.Kind, siteId, ct), null);
    }

    /// <summary>
    /// The account signed in on Hearth's own pages, as it comments through the widget of this site: the inbox page
    /// answers as this, through the same posting and checks as the widget. Null when the account is gone.
    /// </summary>
    public async Task<Member?> AccountOnSiteAsync(long userId, long siteId, CancellationToken ct) =>
        await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct) is { } user
            ? await OnSiteAsync(user, sessionId: 0, sessionSite: siteId, MemberSession.Widget, siteId, ct)
            : null;

    async Task<Member> OnSiteAsync(HearthUser user, long sessionId, long? sessionSite, string kind, long siteId, CancellationToken ct)
    {
        var membership = await db.SiteMembers.AsNoTracking()
            .FirstOrDefaultAsync(m => m.SiteId == siteId && m.UserId == user.Id, ct);
        List<string> badges = [.. RoleBadges.For(membership?.Role, user.IsAdmin), .. membership?.Badges ?? []];
        var avatar = await db.UploadedAvatars.AsNoTracking().Where(a => a.UserId == user.Id).Select(a => new { a.UserId, a.Version }).FirstOrDefaultAsync(ct);
        return new Member(user.Id, sessionId, sessionSite, user.DisplayName, user.Email, user.Website, badges)
        {
            Role = membership?.Role,
            IsAdmin = user.IsAdmin,
            Kind = kind,
            FollowOnComment = user.FollowOnComment,
            Avatar = avatar is null ? null : new Avatars.UploadedAvatar { UserId = avatar.UserId, Version = avatar.Version, Png = [] }.Url,
        };
    }
}
