using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Identity;

public sealed record SsoSignInRequest(string? Token);

public sealed record SessionUserResponse(long Id, string Name, IReadOnlyList<string> Badges);

public sealed record SsoSessionResponse(string AccessToken, DateTime ExpiresAt, SessionUserResponse User);

/// <summary>
/// Single sign-on from a host site: check the token the site signed, find or create the person (by the site and the
/// site's own user id), bring their name and badges up to date, and open a session for this site.
/// </summary>
public sealed class SignInWithSso(HearthDb db, SsoSecrets secrets, StaffNames staff, WriteGate gate, TimeProvider clock)
{
    /// <summary>
    /// The token's exp bounds when it may be traded, not how long the session lasts: sites are told to sign tokens for
    /// minutes and render a fresh one with each page, and a reader who writes half an hour after the page came must
    /// still be themselves. The session is bounded on its own terms: 12 hours, this site only, ended by signing out or
    /// by rotating the site's secret.
    /// </summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    public static string LoginProvider(long siteId) => "sso:" + siteId;

    public async Task<Results<Ok<SsoSessionResponse>, ValidationProblem, ProblemHttpResult>> RunAsync(
        Site cachedSite, SsoSignInRequest request, string? device, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Token))
        {
            return Problems.Invalid("token", "Send the token your site signed for this person: { \"token\": \"...\" }.");
        }
        // The secret is read fresh: a rotation from the command line must take effect at once.
        var site = await db.Sites.AsNoTracking().FirstAsync(s => s.Id == cachedSite.Id, ct);
        if (secrets.Read(site) is not { } secret)
        {
            return Unauthorized("sso_not_configured", $"Single sign-on is not set up for the site '{site.Name}': run hearth sites sso {site.Name}.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var (claims, refusal) = await SsoToken.ReadAsync(request.Token.Trim(), site.Name, secret, now);
        if (claims is null)
        {
            return Unauthorized(refusal!.Code, refusal.Detail);
        }

        using var turn = await gate.EnterAsync(ct);
        try
        {
            return await StoreAsync(site, claims, device, now, ct);
        }
        catch (DbUpdateException)
        {
            // Another node stored this person's first sign-in between our read and our insert (the login's key, the
            // site and its user id, lets only one through): read again, and sign in as the person that node stored.
            // If it fails again, it fails.
            db.ChangeTracker.Clear();
            return await StoreAsync(site, claims, device, now, ct);
        }
    }

    /// <summary>
    /// Finds or creates the person and opens the session, in one transaction: the write gate only orders this process,
    /// so two nodes may both find no one and both insert; the loser's transaction is rolled back whole.
    /// </summary>
    async Task<Results<Ok<SsoSessionResponse>, ValidationProblem, ProblemHttpResult>> StoreAsync(
        Site site, SsoClaims claims, string? device, DateTime now, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // A rotation between the check above and now ended every session of the old secret; this one must not slip in.
        if (await db.Sites.Where(s => s.Id == site.Id).Select(s => s.SsoSecret).FirstAsync(ct) != site.SsoSecret)
        {
            return Unauthorized("sso_bad_signature", "The site's SSO secret was just replaced: sign a new token with the new one.");
        }
        var provider = LoginProvider(site.Id);
        var user = await db.UserLogins
            .Where(l => l.LoginProvider == provider && l.ProviderKey == claims.Subject)
            .Join(db.Users, l => l.UserId, u => u.Id, (_, u) => u)
            .FirstOrDefaultAsync(ct);
        // The host site may name its people as it likes, but not as someone readers know as this site's team.
        if (await staff.WouldImpersonateOnSiteAsync(claims.Name, site.Id, user?.Id, ct))
        {
            return Unauthorized("sso_name_reserved",
                "The name in the token would pass for someone on this site's team on Hearth (an owner, a moderator or an admin): send another name for this person.");
        }
        if (user is null)
        {
            user = new HearthUser
            {
                // Identity wants a unique user name; what kind of person this is, is the site's column, not the name.
                UserName = "s" + Guid.NewGuid().ToString("N"),
                SsoSiteId = site.Id,
                NormalizedUserName = null,
                SecurityStamp = Guid.NewGuid().ToString("N"),
                CreatedAt = now,
            };
            db.Users.Add(user);
            await db.SaveChangesAsync(ct);
            db.UserLogins.Add(new IdentityUserLogin<long> { LoginProvider = provider, ProviderKey = claims.Subject, UserId = user.Id, ProviderDisplayName = site.Name });
        }
        user.NormalizedUserName = user.UserName!.ToUpperInvariant();
        // Someone who linked this sign-in to their Hearth account keeps the name and face they chose there.
        if (user.SsoSiteId == site.Id)
        {
            user.DisplayName = claims.Name;
            user.Website = claims.Url;
            user.PictureUrl = claims.Picture;
        }

        var member = await db.SiteMembers.FirstOrDefaultAsync(m => m.SiteId == site.Id && m.UserId == user.Id, ct);
        if (member is null)
        {
            db.SiteMembers.Add(member = new SiteMember { SiteId = site.Id, UserId = user.Id, JoinedAt = now });
        }
        member.Badges = [.. claims.Badges];
        // The site's word for the address stays with the site: it never becomes the account's e-mail, which signs in
        // and claims comments, so one site cannot reach anyone's account by naming their address.
        member.Email = claims.Email;

        // The session outlives the site's short token (see SessionLifetime).
        var (session, token) = MemberSession.Start(user.Id, site.Id, MemberSession.SingleSignOn, now, SessionLifetime, device);
        db.MemberSessions.Add(session);
        // Sessions that ended are forgotten as new ones open, so the table does not grow without bound.
        await db.MemberSessions.Where(s => s.UserId == user.Id && s.ExpiresAt < now).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        return TypedResults.Ok(new SsoSessionResponse(token, now + SessionLifetime, new SessionUserResponse(user.Id, user.DisplayName, member.Badges)));
    }

    static ProblemHttpResult Unauthorized(string code, string detail) =>
        Problems.Of(StatusCodes.Status401Unauthorized, code, detail, "Single sign-on refused");
}
