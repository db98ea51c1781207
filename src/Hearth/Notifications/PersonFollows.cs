using Hearth.People;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Notifications;

/// <summary>One of the account's follows or mutes on a site, as its owner sees it.</summary>
public sealed record PersonFollowItem(string Key, string Name, string State, DateTime Since)
{
    /// <summary>The person's public profile, when they have one (an account, not a site's sign-in).</summary>
    public long? ProfileId { get; init; }
}

/// <summary>
/// Following and muting people, each change one atomic statement (two tabs, two nodes). Only the account itself
/// reads or changes its own rows.
/// </summary>
public static class PersonFollows
{
    /// <summary>
    /// People one account may follow or mute on one site: the widget reads the whole list with every thread, so it stays
    /// one bounded read, and the cap is checked in the statement that adds, so two tabs cannot pass it together.
    /// </summary>
    public const int MaxPerSite = 1_000;

    public enum Refusal
    {
        None,
        NotFound,
        Guest,
        Self,
        TooMany,
    }

    /// <summary>
    /// The site's person with this key as someone may follow them: a member or a person the site signs in, not merged
    /// into another, not the account asking.
    /// </summary>
    public static async Task<(Person? Person, Refusal Refusal)> FindAsync(HearthDb db, long siteId, string key, long askingUserId, CancellationToken ct)
    {
        if (key.Length is 0 or > 64)
        {
            return (null, Refusal.NotFound);
        }
        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.SiteId == siteId && p.Key == key, ct);
        if (person is null)
        {
            return (null, Refusal.NotFound);
        }
        if (person.MergedIntoId is { } merged)
        {
            // The comments with the old key are the merged person's now: they are whom the reader means.
            person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == merged && p.MergedIntoId == null, ct);
            if (person is null)
            {
                return (null, Refusal.NotFound);
            }
        }
        if (person.Kind == PersonKind.Guest || person.UserId is null)
        {
            return (person, Refusal.Guest);
        }
        return person.UserId == askingUserId ? (person, Refusal.Self) : (person, Refusal.None);
    }

    public static Task<string?> StateAsync(HearthDb db, long userId, long personId, CancellationToken ct) =>
        db.Set<PersonFollow>().AsNoTracking().Where(f => f.UserId == userId && f.PersonId == personId).Select(f => f.State).FirstOrDefaultAsync(ct);

    /// <summary>Following, muted, or (null) neither; false when the account already follows or mutes as many as a site allows.</summary>
    public static async Task<bool> SetAsync(HearthDb db, long userId, Person person, string? state, DateTime now, CancellationToken ct)
    {
        if (state is null)
        {
            await db.Set<PersonFollow>().Where(f => f.UserId == userId && f.PersonId == person.Id).ExecuteDeleteAsync(ct);
            return true;
        }
        var since = await db.Comments.MaxAsync(c => (long?)c.Id, ct) ?? 0;
        // A change of an existing row always goes through; a new row only under the cap. "WHERE" also keeps SQLite from
        // reading ON CONFLICT as part of the SELECT. The same state again changes nothing, its start included.
        var changed = await db.Database.ExecuteSqlRawAsync($$"""
            INSERT INTO "PersonFollows" ("UserId", "PersonId", "SiteId", "State", "CreatedAt", "SinceCommentId")
            SELECT {0}, {1}, {2}, {3}, {4}, {5}
            WHERE EXISTS (SELECT 1 FROM "PersonFollows" WHERE "UserId" = {0} AND "PersonId" = {1})
               OR (SELECT COUNT(*) FROM (SELECT 1 FROM "PersonFollows" WHERE "UserId" = {0} AND "SiteId" = {2} LIMIT {{MaxPerSite}}) AS "mine") < {{MaxPerSite}}
            ON CONFLICT ("UserId", "PersonId") DO UPDATE SET "State" = "excluded"."State",
                "CreatedAt" = CASE WHEN "PersonFollows"."State" = "excluded"."State" THEN "PersonFollows"."CreatedAt" ELSE "excluded"."CreatedAt" END,
                "SinceCommentId" = CASE WHEN "PersonFollows"."State" = "excluded"."State" THEN "PersonFollows"."SinceCommentId" ELSE "excluded"."SinceCommentId" END
            """, [userId, person.Id, person.SiteId, state, now, since], ct);
        return changed > 0;
    }

    /// <summary>The account's follows and mutes on one site (all of them: at most <see cref="MaxPerSite"/>), newest first.</summary>
    public static async Task<List<PersonFollowItem>> ListAsync(HearthDb db, long userId, long siteId, string? state, CancellationToken ct)
    {
        var query = db.Set<PersonFollow>().AsNoTracking().Where(f => f.UserId == userId && f.SiteId == siteId);
        if (state is not null)
        {
            query = query.Where(f => f.State == state);
        }
        var rows = await (
            from f in query
            join p in db.People on f.PersonId equals p.Id
            orderby f.CreatedAt descending, f.PersonId descending
            select new { p.Key, p.Name, f.State, f.CreatedAt, p.UserId, p.Kind }).Take(MaxPerSite).ToListAsync(ct);
        return [.. rows.Select(r => new PersonFollowItem(r.Key, r.Name, r.State, r.CreatedAt) { ProfileId = r.Kind == PersonKind.Member ? r.UserId : null })];
    }
}
