using System.Security.Cryptography;
using Hearth.Conversations;
using Hearth.Live;
using Hearth.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Identity;

/// <summary>
/// Someone a site signs in (single sign-on) links that identity to their Hearth account: from then on the site's
/// sign-in makes them that account there, so one person has one inbox and one profile across sites. It takes both
/// proofs: the site's session, which asks for a short-lived link code from the widget, and the account, signed in on
/// Hearth's own pages, where the person confirms. What the site says about an e-mail address never links anything.
/// </summary>
public sealed class SsoLinks(HearthDb db, WriteGate gate, InstanceKey keys, ThreadChanges changes, TimeProvider clock, IDataProtectionProvider protection)
{
    static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(15);

    ITimeLimitedDataProtector Protector => protection.CreateProtector("Hearth.Identity.SsoLink").ToTimeLimitedDataProtector();

    public string Code(long ssoUserId, long siteId) =>
        Protector.Protect(FormattableString.Invariant($"{ssoUserId}\n{siteId}"), CodeLifetime);

    /// <summary>The identity a code names, or null for one that was tampered with or has expired.</summary>
    public (long SsoUserId, long SiteId)? Read(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return null;
        }
        try
        {
            var parts = Protector.Unprotect(code).Split('\n');
            return (long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is CryptographicException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>A person the site alone made (no address, no password of their own), still holding the site's sign-in.</summary>
    public Task<HearthUser?> SiteIdentityAsync(long ssoUserId, long siteId, CancellationToken ct)
    {
        var provider = SignInWithSso.LoginProvider(siteId);
        return db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == ssoUserId && u.Email == null && u.PasswordHash == null
            && db.UserLogins.Any(l => l.UserId == u.Id && l.LoginProvider == provider), ct);
    }

    /// <summary>Null when linked; otherwise why not.</summary>
    public async Task<string?> LinkAsync(long accountId, long ssoUserId, long siteId, CancellationToken ct)
    {
        var provider = SignInWithSso.LoginProvider(siteId);
        using (await gate.EnterAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (await SiteIdentityAsync(ssoUserId, siteId, ct) is null)
            {
                return "This sign-in of the site is already linked, or no longer exists. Open the page again.";
            }
            if (await db.UserLogins.AnyAsync(l => l.UserId == accountId && l.LoginProvider == provider, ct))
            {
                return "Your account is already linked to another identity on this site.";
            }
            var now = clock.GetUtcNow().UtcDateTime;

            // Their comments become the account's, as a guest's claimed comments do; the site's person is merged, on record.
            var ids = await db.Comments.Where(c => c.Author.UserId == ssoUserId).Select(c => c.Id).ToListAsync(ct);
            await ThreadLocks.OfCommentsAsync(db, ids, ct);
            var comments = await db.Comments.Where(c => c.Author.UserId == ssoUserId).OrderBy(c => c.Id).ToListAsync(ct);
            var key = keys.Hash("author", "member\n" + accountId);
            var face = await db.Users.AsNoTracking().Where(u => u.Id == accountId).Select(u => new { u.DisplayName, u.Website }).FirstAsync(ct);
            var avatar = await db.UploadedAvatars.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == accountId, ct);
            var before = comments.Select(c => (c.SiteId, c.Author.Key)).Distinct().ToList();
            foreach (var comment in comments)
            {
                comment.ClaimFor(accountId, face.DisplayName, face.Website, avatar?.Url, key);
                await ThreadLog.AppendAsync(db, comment, ThreadEvent.Updated, comment.Status, key, now, ct);
            }
            await db.SaveChangesAsync(ct);
            foreach (var site in before.GroupBy(b => b.SiteId))
            {
                await People.PersonMerge.IntoAsync(db, site.Key, [.. site.Select(b => b.Key)], comments.First(c => c.SiteId == site.Key).Author, ct);
            }

            // The site's sign-in now opens the account; its badges on the site go with it.
            await db.UserLogins.Where(l => l.UserId == ssoUserId && l.LoginProvider == provider).ExecuteUpdateAsync(l => l.SetProperty(x => x.UserId, accountId), ct);
            var theirs = await db.SiteMembers.FirstOrDefaultAsync(m => m.SiteId == siteId && m.UserId == ssoUserId, ct);
            var mine = await db.SiteMembers.FirstOrDefaultAsync(m => m.SiteId == siteId && m.UserId == accountId, ct);
            if (theirs is not null && mine is not null)
            {
                mine.Badges = [.. mine.Badges.Union(theirs.Badges)];
                mine.Email ??= theirs.Email;
                db.SiteMembers.Remove(theirs);
                await db.SaveChangesAsync(ct);
            }
            else if (theirs is not null)
            {
                await db.SiteMembers.Where(m => m.SiteId == siteId && m.UserId == ssoUserId).ExecuteUpdateAsync(m => m.SetProperty(x => x.UserId, accountId), ct);
            }

            // One inbox: what was for the site's identity is for the account now (once, where both had it).
            var already = db.Notifications.Where(n => n.UserId == accountId).Select(n => n.CommentId);
            await db.Notifications.Where(n => n.UserId == ssoUserId && already.Contains(n.CommentId)).ExecuteDeleteAsync(ct);
            await db.Notifications.Where(n => n.UserId == ssoUserId).ExecuteUpdateAsync(n => n.SetProperty(x => x.UserId, accountId), ct);
            var followed = db.Follows.Where(f => f.UserId == accountId).Select(f => f.ThreadId);
            await db.Follows.Where(f => f.UserId == ssoUserId && followed.Contains(f.ThreadId)).ExecuteDeleteAsync(ct);
            await db.Follows.Where(f => f.UserId == ssoUserId).ExecuteUpdateAsync(f => f.SetProperty(x => x.UserId, accountId), ct);

            // The site's identity signs in no more: its open sessions end, and the widget's next sign-in opens the account.
            await db.MemberSessions.Where(s => s.UserId == ssoUserId).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
        }
        await changes.PublishAsync();
        return null;
    }
}
