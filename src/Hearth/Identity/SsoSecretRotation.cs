using Hearth.Sites;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Identity;

/// <summary>
/// A new single sign-on secret for a site, from the command line or the settings page alike: the site's log says who
/// changed it and when (never the secret), and the sessions opened with tokens signed by the old one end with it.
/// </summary>
public static class SsoSecretRotation
{
    public static async Task<string> RotateAsync(HearthDb db, SsoSecrets secrets, Site site, long? actorUserId, string actorName, DateTime now,
        CancellationToken ct)
    {
        var before = site.SsoSecret is null ? "none" : "a secret";
        var secret = secrets.Rotate(site);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.AuditLog.Add(new Moderation.AuditEntry
        {
            SiteId = site.Id, ActorUserId = actorUserId, ActorName = actorName, Action = "sso-secret", Target = $"site {site.Name}",
            Before = before, After = "a new secret", At = now,
        });
        await db.SaveChangesAsync(ct);
        await db.MemberSessions.Where(s => s.SiteId == site.Id && s.Kind == MemberSession.SingleSignOn).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        return secret;
    }
}
