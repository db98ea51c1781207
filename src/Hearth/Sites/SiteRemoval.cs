using System.Text.Json;
using System.Text.Json.Serialization;
using Hearth.Identity;
using Hearth.Moderation;
using Hearth.Moderation.SpamFilter;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Sites;

/// <summary>What hearth sites remove took away, by kind.</summary>
public sealed record SiteRemovedResponse(
    string Removed, int Threads, int Comments, int Votes, int Reports, int Bans, int AuditEntries, int Roles, int Sessions, int SingleSignOnPeople);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(SiteRemovedResponse))]
partial class SiteRemovalJson : JsonSerializerContext;

/// <summary>
/// Everything of one site, gone in one transaction: a failure anywhere leaves the site whole. Each table is emptied
/// of the site's rows by name rather than by cascade, so nothing depends on which foreign keys happen to exist, and
/// every statement is filtered by the site's id, so no other site loses a row.
/// </summary>
public static class SiteRemoval
{
    public static async Task<SiteRemovedResponse> RemoveAsync(HearthDb db, Site site, CancellationToken ct)
    {
        var id = site.Id;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The site's threads before any other row, in the order every writer locks threads.
        await Conversations.ThreadLocks.OfSiteForDeletingAsync(db, id, ct);

        // People the site's single sign-on made exist only through it. Accounts people made on Hearth (with an
        // address or a password) are theirs and stay; only their role and badges here go.
        var provider = SignInWithSso.LoginProvider(id);
        // Told apart by the site that made them: an account without an address or a password (one made through an
        // outside provider) that linked this site's sign-in is someone's own, and stays. An identity already linked to an
        // account (its login moved there) goes too: nothing signs in as it any more.
        var ssoPeople = await db.Users.Where(u => u.SsoSiteId == id).ExecuteDeleteAsync(ct);
        await db.UserLogins.Where(l => l.LoginProvider == provider).ExecuteDeleteAsync(ct);

        await db.Notifications.Where(n => n.SiteId == id).ExecuteDeleteAsync(ct);
        await db.Follows.Where(f => f.SiteId == id).ExecuteDeleteAsync(ct);
        await db.Set<GuestReplies.GuestReplyMail>()
            .Where(m => db.Set<GuestReplies.GuestSubscription>().Any(s => s.Id == m.SubscriptionId && s.SiteId == id)).ExecuteDeleteAsync(ct);
        await db.Set<GuestReplies.GuestSubscription>().Where(s => s.SiteId == id).ExecuteDeleteAsync(ct);
        await db.Set<Notifications.PersonFollow>().Where(f => f.SiteId == id).ExecuteDeleteAsync(ct);
        await db.Set<Notifications.PersonFanout>().Where(f => f.SiteId == id).ExecuteDeleteAsync(ct);
        var votes = await db.Votes.Where(v => db.Comments.Any(c => c.Id == v.CommentId && c.SiteId == id)).ExecuteDeleteAsync(ct);
        var reports = await db.Reports.Where(r => r.SiteId == id).ExecuteDeleteAsync(ct);
        await db.Set<SpamLabel>().Where(l => l.SiteId == id).ExecuteDeleteAsync(ct);
        await db.Set<SimilarityKey>().Where(k => k.SiteId == id).ExecuteDeleteAsync(ct);
        await db.Set<SimilarityBand>().Where(b => db.Comments.Any(c => c.Id == b.CommentId && c.SiteId == id)).ExecuteDeleteAsync(ct);
        // Replies point at their parents with a restricting key, and one DELETE removes rows in no set order.
        await db.Comments.Where(c => c.SiteId == id && c.ParentId != null).ExecuteUpdateAsync(c => c.SetProperty(x => x.ParentId, (long?)null), ct);
        var comments = await db.Comments.Where(c => c.SiteId == id).ExecuteDeleteAsync(ct);
        var threads = await db.Threads.Where(t => t.SiteId == id).ExecuteDeleteAsync(ct);
        await db.ThreadEvents.Where(e => e.SiteId == id).ExecuteDeleteAsync(ct);
        await db.IdempotencyRecords.Where(r => r.SiteId == id).ExecuteDeleteAsync(ct);
        await db.People.Where(p => p.SiteId == id).ExecuteDeleteAsync(ct);
        var bans = await db.Bans.Where(b => b.SiteId == id).ExecuteDeleteAsync(ct);
        var audit = await db.AuditLog.Where(a => a.SiteId == id).ExecuteDeleteAsync(ct);
        var roles = await db.SiteMembers.Where(m => m.SiteId == id).ExecuteDeleteAsync(ct);
        var sessions = await db.MemberSessions.Where(s => s.SiteId == id).ExecuteDeleteAsync(ct);
        await db.Set<SpamTokenCount>().Where(t => t.SiteId == id).ExecuteDeleteAsync(ct);
        await db.Set<SpamTotals>().Where(t => t.SiteId == id).ExecuteDeleteAsync(ct);
        await db.PageViews.Where(v => v.SiteId == id).ExecuteDeleteAsync(ct);
        await db.WidgetOrigins.Where(o => o.SiteId == id).ExecuteDeleteAsync(ct);
        await db.TeamInvites.Where(i => i.SiteId == id).ExecuteDeleteAsync(ct);
        await db.ImportJobs.Where(j => j.SiteId == id).ExecuteDeleteAsync(ct);
        await db.Sites.Where(s => s.Id == id).ExecuteDeleteAsync(ct);
        if (!await db.InstanceSettings.AnyAsync(s => s.Name == InstanceSetting.SitesRemoved, ct))
        {
            db.InstanceSettings.Add(new InstanceSetting { Name = InstanceSetting.SitesRemoved, Value = "true" });
            await db.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return new SiteRemovedResponse(site.Name, threads, comments, votes, reports, bans, audit, roles, sessions, ssoPeople);
    }

    public static string Print(SiteRemovedResponse removed) => JsonSerializer.Serialize(removed, SiteRemovalJson.Default.SiteRemovedResponse);
}
