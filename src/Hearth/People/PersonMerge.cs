using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.People;

/// <summary>
/// One person turns out to be another: an account claimed a guest's comments, or (later) an SSO person is linked to an
/// account. The history is not rewritten: the old rows stay as they were and say whom they became, and the person they
/// became takes over their counters, so the comments that now carry that person's key are counted where their later
/// changes (approvals, removals) will land. Runs in the caller's transaction, after the comments were re-keyed.
/// </summary>
public static class PersonMerge
{
    /// <summary>
    /// Merges the site's people with <paramref name="fromKeys"/> into the person of <paramref name="into"/>, made if
    /// they never commented here. A row already merged is not merged again, so its counters are never taken twice.
    /// Returns the id of the person merged into.
    /// </summary>
    public static async Task<long> IntoAsync(HearthDb db, long siteId, IReadOnlyCollection<string> fromKeys, CommentAuthor into, CancellationToken ct)
    {
        var kind = into.Kind == AuthorKind.Guest ? nameof(PersonKind.Guest) : nameof(PersonKind.Member);
        var sso = SignInWithSso.LoginProvider(siteId);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "People" ("SiteId", "Kind", "Key", "UserId", "Name",
                "Comments", "Approved", "RepliesGiven", "RepliesReceived", "DaysActive", "ReportsAgainst", "TrustLevel", "UpheldReports")
            VALUES ({siteId},
                CASE WHEN EXISTS (SELECT 1 FROM "UserLogins" WHERE "UserId" = {into.UserId} AND "LoginProvider" = {sso}) THEN 'Sso' ELSE {kind} END,
                {into.Key}, {into.UserId}, {into.Name}, 0, 0, 0, 0, 0, 0, 0, 0)
            ON CONFLICT ("SiteId", "Key") DO NOTHING
            """, ct);
        var targetId = await db.Set<Person>().Where(p => p.SiteId == siteId && p.Key == into.Key).Select(p => p.Id).SingleAsync(ct);
        var keys = fromKeys.Where(k => k != into.Key && k.Length > 0).Distinct().ToList();
        if (keys.Count == 0)
        {
            return targetId;
        }

        // Days active add up as if the two never commented on the same day: the days themselves were never kept.
        var from = db.Set<Person>().Where(p => p.SiteId == siteId && keys.Contains(p.Key) && p.MergedIntoId == null && p.Id != targetId);
        await db.Set<Person>().Where(p => p.Id == targetId).ExecuteUpdateAsync(u => u
            .SetProperty(p => p.Comments, p => p.Comments + from.Sum(f => f.Comments))
            .SetProperty(p => p.Approved, p => p.Approved + from.Sum(f => f.Approved))
            .SetProperty(p => p.RepliesGiven, p => p.RepliesGiven + from.Sum(f => f.RepliesGiven))
            .SetProperty(p => p.RepliesReceived, p => p.RepliesReceived + from.Sum(f => f.RepliesReceived))
            .SetProperty(p => p.DaysActive, p => p.DaysActive + from.Sum(f => f.DaysActive))
            .SetProperty(p => p.ReportsAgainst, p => p.ReportsAgainst + from.Sum(f => f.ReportsAgainst))
            .SetProperty(p => p.UpheldReports, p => p.UpheldReports + from.Sum(f => f.UpheldReports))
            // Trust earned as a guest comes along with the comments; the next write sets it from the summed counters.
            .SetProperty(p => p.TrustLevel, p => (from.Max(f => (int?)f.TrustLevel) ?? 0) > p.TrustLevel ? from.Max(f => (int?)f.TrustLevel) ?? 0 : p.TrustLevel)
            .SetProperty(p => p.FirstCommentId, p => p.FirstCommentAt == null || from.Min(f => f.FirstCommentAt) < p.FirstCommentAt
                ? from.OrderBy(f => f.FirstCommentAt).Select(f => f.FirstCommentId).FirstOrDefault() : p.FirstCommentId)
            .SetProperty(p => p.FirstCommentAt, p => from.Min(f => f.FirstCommentAt) < p.FirstCommentAt || p.FirstCommentAt == null
                ? from.Min(f => f.FirstCommentAt) : p.FirstCommentAt)
            .SetProperty(p => p.LastCommentAt, p => from.Max(f => f.LastCommentAt) > p.LastCommentAt || p.LastCommentAt == null
                ? from.Max(f => f.LastCommentAt) : p.LastCommentAt)
            .SetProperty(p => p.LastActiveDay, p => from.Max(f => f.LastActiveDay) > p.LastActiveDay || p.LastActiveDay == null
                ? from.Max(f => f.LastActiveDay) : p.LastActiveDay), ct);
        await MoveFollowsAsync(db, siteId, keys, targetId, into.UserId, ct);
        await from.ExecuteUpdateAsync(u => u.SetProperty(p => p.MergedIntoId, targetId), ct);
        return targetId;
    }

    /// <summary>
    /// Whoever followed or muted a person merged now follows or mutes the person it became (their choice kept where they
    /// had made one about that person already); nobody is left following themselves.
    /// </summary>
    static async Task MoveFollowsAsync(HearthDb db, long siteId, List<string> keys, long targetId, long? targetUserId, CancellationToken ct)
    {
        var merged = await db.Set<Person>().Where(p => p.SiteId == siteId && keys.Contains(p.Key) && p.MergedIntoId == null && p.Id != targetId)
            .Select(p => p.Id).ToListAsync(ct);
        if (merged.Count == 0)
        {
            return;
        }
        var follows = db.Set<Notifications.PersonFollow>();
        await follows.Where(f => merged.Contains(f.PersonId) && (f.UserId == targetUserId || follows.Any(t => t.UserId == f.UserId && t.PersonId == targetId)))
            .ExecuteDeleteAsync(ct);
        foreach (var id in merged)
        {
            await db.Database.ExecuteSqlAsync($"""UPDATE "PersonFollows" SET "PersonId" = {targetId} WHERE "PersonId" = {id}""", ct);
        }
        await follows.Where(f => f.PersonId == targetId && f.UserId == targetUserId).ExecuteDeleteAsync(ct);
    }

    /// <summary>
    /// An account is deleted: its people on every site go, and so do the rows merged into them (a claimed guest's row
    /// holds the name they wrote under). Nothing that says who the person was is left; the comments kept as a "former
    /// member"'s each carry a key of their own and belong to no one.
    /// </summary>
    public static async Task ForgetAccountAsync(HearthDb db, long userId, CancellationToken ct)
    {
        var people = db.Set<Person>().Where(p => p.UserId == userId).Select(p => p.Id);
        // Whom the account followed or muted, and who followed or muted it: its choices and others' about it both go.
        await db.Set<Notifications.PersonFollow>().Where(f => f.UserId == userId || people.Contains(f.PersonId)).ExecuteDeleteAsync(ct);
        await db.Set<Person>().Where(p => p.MergedIntoId != null && people.Contains(p.MergedIntoId.Value)).ExecuteDeleteAsync(ct);
        await db.Set<Person>().Where(p => p.UserId == userId).ExecuteDeleteAsync(ct);
    }
}
