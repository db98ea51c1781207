using System.Globalization;
using Hearth.Moderation.SpamFilter;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Moderation;

/// <summary>
/// What moderation holds about a person whose account is being deleted, made to say nothing about them any more
/// (in <see cref="Accounts.AccountDeletion"/>'s transactions):
/// <list type="bullet">
/// <item>Bans on them outlive the account, or a banned person could delete it and sign up again: a ban on the
/// account becomes a ban on its e-mail address, and bans on that address, or on an address hash their comments
/// came from, keep only a keyed hash of it (<see cref="Ban.Sealed"/>), never the address or the id.</item>
/// <item>Audit entries about them no longer name the account or the address, and entries of moderators' edits to
/// their comments lose the words before and after.</item>
/// <item>Their reports go, reason and all.</item>
/// <item>The site's spam filter forgets what it learned from comments of theirs that are removed.</item>
/// </list>
/// What they did as a moderator or owner stays in the sites' logs under their name: a site must be able to tell
/// who decided what.
/// </summary>
public sealed class DeletedAccount(HearthDb db, InstanceKey keys, SpamModels models)
{
    public const string DeletedTarget = "(deleted account)";
    const string EditedWordsRemoved = "(words removed with the author's account)";

    /// <summary>Takes back what the spam filter learned from these comments; call before they are removed.</summary>
    public async Task UnlearnAsync(IReadOnlyCollection<long> commentIds, CancellationToken ct)
    {
        var labels = new List<SpamLabel>();
        foreach (var chunk in commentIds.Chunk(500))
        {
            labels.AddRange(await db.Set<SpamLabel>().Where(l => chunk.Contains(l.CommentId)).ToListAsync(ct));
        }
        foreach (var site in labels.GroupBy(l => l.SiteId))
        {
            await models.LearnAsync(site.Key, [.. site.Select(l => new SpamLesson(l.TokenList, l.Spam, -1))], ct);
            db.RemoveRange(site);
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// What moderation holds of some of the account's comments: bans on the address hashes they came from
    /// (<paramref name="ipHashes"/>) keep only a keyed hash, and audit entries of moderators' edits to them lose the words.
    /// </summary>
    public async Task ForgetCommentsAsync(IReadOnlyCollection<long> commentIds, IReadOnlyCollection<string> ipHashes, CancellationToken ct)
    {
        foreach (var ipHash in ipHashes)
        {
            var sealedIp = Ban.Sealed(keys, Ban.Ip, ipHash);
            await db.Bans.Where(b => b.Kind == Ban.Ip && b.Value == ipHash).ExecuteUpdateAsync(b => b.SetProperty(x => x.Value, sealedIp), ct);
        }
        foreach (var chunk in commentIds.Chunk(500))
        {
            var targets = chunk.Select(AuditEntry.CommentTarget).ToList();
            await db.AuditLog.Where(a => a.Action == "edit" && targets.Contains(a.Target))
                .ExecuteUpdateAsync(a => a.SetProperty(x => x.Before, EditedWordsRemoved).SetProperty(x => x.After, EditedWordsRemoved), ct);
        }
    }

    /// <summary>The bans, audit entries and reports of the account itself; its comments' go by <see cref="ForgetCommentsAsync"/>.</summary>
    public async Task ForgetAsync(long userId, string? email, CancellationToken ct)
    {
        var id = userId.ToString(CultureInfo.InvariantCulture);
        var address = email?.ToLowerInvariant();

        if (address is null)
        {
            // Nothing to hold a ban on the account by: it ends with the account, whose id is never given out again.
            await db.Bans.Where(b => b.Kind == Ban.User && b.Value == id).ExecuteDeleteAsync(ct);
        }
        else
        {
            var sealedAddress = Ban.Sealed(keys, Ban.Email, address);
            await db.Bans.Where(b => (b.Kind == Ban.User && b.Value == id) || (b.Kind == Ban.Email && b.Value == address))
                .ExecuteUpdateAsync(b => b.SetProperty(x => x.Kind, Ban.Email).SetProperty(x => x.Value, sealedAddress), ct);
        }

        var userTarget = AuditEntry.UserTargetPrefix(userId);
        await db.AuditLog.Where(a => a.Target == $"{Ban.User} {id}" || a.Target.StartsWith(userTarget))
            .ExecuteUpdateAsync(a => a.SetProperty(x => x.Target, $"{Ban.User} {DeletedTarget}"), ct);
        if (address is not null)
        {
            await db.AuditLog.Where(a => a.Target == $"{Ban.Email} {address}")
                .ExecuteUpdateAsync(a => a.SetProperty(x => x.Target, $"{Ban.Email} {DeletedTarget}"), ct);
        }
        await db.Reports.Where(r => r.ReporterKey == "member:" + id).ExecuteDeleteAsync(ct);
    }
}
