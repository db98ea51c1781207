using Hearth.Conversations;
using Hearth.Live;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Identity;

/// <summary>
/// Someone a site signs in (single sign-on) links that identity to their Hearth account: from then on the site's
/// sign-in makes them that account there, so one person has one inbox and one profile across sites. It takes both
/// proofs at once, from one browser: the site's session, and a session of the account the person has just opened in
/// the widget's sign-in window (which hands its token only to a page of the site's own origins). A code or a link that
/// one person could send another is never enough, and what the site says about an e-mail address never links anything.
/// </summary>
public sealed class SsoLinks(HearthDb db, WriteGate gate, InstanceKey keys, ThreadChanges changes, TimeProvider clock)
{
    /// <summary>A person the site's sign-in made and still opens, not linked to an account.</summary>
    public Task<bool> IsSiteIdentityAsync(long userId, long siteId, CancellationToken ct)
    {
        var provider = SignInWithSso.LoginProvider(siteId);
        return db.Users.AnyAsync(u => u.Id == userId && u.SsoSiteId == siteId
            && db.UserLogins.Any(l => l.UserId == u.Id && l.LoginProvider == provider), ct);
    }

    /// <summary>
    /// Comments moved in one turn at the write gate: an identity with thousands of comments on the site, linked in one
    /// transaction, held every writer of the node (and, on PostgreSQL, every thread it wrote in) for the whole of it.
    /// </summary>
    internal const int PerTurn = 500;

    /// <summary>Null when linked; otherwise why not.</summary>
    /// <remarks>
    /// The identity's comments become the account's in turns of <see cref="PerTurn"/> before the link itself, which
    /// then moves the sign-in and whatever was written meanwhile in one transaction: a link cut short leaves the site's
    /// sign-in as it was, some comments already the account's, and linking again finishes. Callers on a request pass no
    /// request token, so a browser that stops waiting does not cut it short.
    /// </remarks>
    public async Task<string?> LinkAsync(long accountId, long ssoUserId, long siteId, CancellationToken ct)
    {
        if (await RefusalAsync(accountId, ssoUserId, siteId, ct) is { } refusal)
        {
            return refusal;
        }
        var after = 0L;
        while (await CommentsTurnAsync(accountId, ssoUserId, siteId, after, ct) is { } last)
        {
            await changes.PublishAsync();
            after = last;
        }
        var provider = SignInWithSso.LoginProvider(siteId);
        using (await gate.EnterAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (await RefusalAsync(accountId, ssoUserId, siteId, ct) is { } late)
            {
                return late;
            }
            // The login moves first, and only if it is still the identity's: of two links at once on two nodes, one moves it.
            var moved = await db.UserLogins.Where(l => l.UserId == ssoUserId && l.LoginProvider == provider)
                .ExecuteUpdateAsync(l => l.SetProperty(x => x.UserId, accountId), ct);
            if (moved != 1)
            {
                return "This sign-in of the site is already linked, or no longer exists.";
            }
            // Whatever the identity wrote while the turns ran.
            await MoveCommentsAsync(accountId, ssoUserId, siteId, after: 0, take: int.MaxValue, ct);
            // The site's person of the identity is merged, on record, once every comment is the account's: until now its
            // counters took whatever the identity posted, or a moderator decided, while the turns ran.
            var identity = await db.People.Where(p => p.SiteId == siteId && p.UserId == ssoUserId && p.MergedIntoId == null)
                .Select(p => p.Key).ToListAsync(ct);
            if (identity.Count > 0)
            {
                var key = keys.Hash("author", "member\n" + accountId);
                var face = await db.Users.AsNoTracking().Where(u => u.Id == accountId).Select(u => u.DisplayName).FirstAsync(ct);
                // The records merged, locked in the one order (after the threads the comments' move took).
                await ThreadLocks.OfPeopleAsync(db, [.. identity.Append(key).Select(k => (siteId, k))], [], ct);
                await People.PersonMerge.IntoAsync(db, siteId, identity,
                    new CommentAuthor { Kind = AuthorKind.Member, UserId = accountId, Name = face, Key = key }, ct);
            }

            // Its badges on the site go with it.
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

            // One inbox: what was for the site's identity is for the account now (once, where both had the same of one
            // comment: the account following a conversation keeps, say, the identity's word that its comment there was approved).
            await db.Notifications.Where(n => n.UserId == ssoUserId
                    && db.Notifications.Any(a => a.UserId == accountId && a.CommentId == n.CommentId && a.Kind == n.Kind))
                .ExecuteDeleteAsync(ct);
            await db.Notifications.Where(n => n.UserId == ssoUserId).ExecuteUpdateAsync(n => n.SetProperty(x => x.UserId, accountId), ct);
            // What the identity heard of the account's comments (or the account of the identity's) is now news of the
            // person's own words, which nobody is told of.
            var others = Notifications.Notification.AboutOthers;
            await db.Notifications.Where(n => n.UserId == accountId && others.Contains(n.Kind)
                    && db.Comments.Any(c => c.Id == n.CommentId && c.Author.UserId == accountId))
                .ExecuteDeleteAsync(ct);
            var followed = db.Follows.Where(f => f.UserId == accountId).Select(f => f.ThreadId);
            await db.Follows.Where(f => f.UserId == ssoUserId && followed.Contains(f.ThreadId)).ExecuteDeleteAsync(ct);
            await db.Follows.Where(f => f.UserId == ssoUserId).ExecuteUpdateAsync(f => f.SetProperty(x => x.UserId, accountId), ct);

            // The site's identity signs in no more: its open sessions end, and the site's next sign-in opens the account.
            await db.MemberSessions.Where(s => s.UserId == ssoUserId).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
        }
        await changes.PublishAsync();
        return null;
    }

    async Task<string?> RefusalAsync(long accountId, long ssoUserId, long siteId, CancellationToken ct)
    {
        var provider = SignInWithSso.LoginProvider(siteId);
        if (await db.UserLogins.AnyAsync(l => l.UserId == accountId && l.LoginProvider == provider, ct))
        {
            return "This account is already linked to another identity on this site.";
        }
        return await db.UserLogins.AnyAsync(l => l.UserId == ssoUserId && l.LoginProvider == provider, ct)
            ? null
            : "This sign-in of the site is already linked, or no longer exists.";
    }

    /// <returns>The last comment id the turn moved, or null when the identity has none left after <paramref name="after"/>.</returns>
    async Task<long?> CommentsTurnAsync(long accountId, long ssoUserId, long siteId, long after, CancellationToken ct)
    {
        using (await gate.EnterAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var last = await MoveCommentsAsync(accountId, ssoUserId, siteId, after, PerTurn, ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
            return last;
        }
    }

    /// <summary>
    /// Up to <paramref name="take"/> of the identity's comments on the site after <paramref name="after"/> become the
    /// account's, as a guest's claimed comments do. Their counts stay on the identity's person until the link merges it.
    /// Returns the last comment id moved, null for none.
    /// </summary>
    async Task<long?> MoveCommentsAsync(long accountId, long ssoUserId, long siteId, long after, int take, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var ids = await db.Comments.Where(c => c.Author.UserId == ssoUserId && c.SiteId == siteId && c.Id > after).OrderBy(c => c.Id)
            .Select(c => c.Id).Take(take).ToListAsync(ct);
        if (ids.Count == 0)
        {
            return null;
        }
        await ThreadLocks.OfCommentsAsync(db, ids, ct);
        var comments = await db.Comments.Where(c => ids.Contains(c.Id) && c.Author.UserId == ssoUserId).OrderBy(c => c.Id).ToListAsync(ct);
        var key = keys.Hash("author", "member\n" + accountId);
        var face = await db.Users.AsNoTracking().Where(u => u.Id == accountId).Select(u => new { u.DisplayName, u.Website }).FirstAsync(ct);
        var avatar = await db.UploadedAvatars.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == accountId, ct);
        foreach (var comment in comments)
        {
            comment.ClaimFor(accountId, face.DisplayName, face.Website, avatar?.Url, key);
            await ThreadLog.AppendAsync(db, comment, ThreadEvent.Updated, comment.Status, key, now, ct);
        }
        await db.SaveChangesAsync(ct);
        return ids[^1];
    }
}
