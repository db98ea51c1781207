using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Conversations;

/// <summary>
/// The one order in which a transaction takes row locks on PostgreSQL: the rows of the threads it will change, by
/// ascending id, before any comment, vote or other row. A writer that touches several threads (a bulk decision, an
/// account deleted, guest comments claimed, a renamed author) takes them all here first, so two such writers wait for
/// each other instead of each holding what the other needs (a deadlock, which PostgreSQL ends by failing one). A writer
/// of one comment takes its thread here too when it is about to change a row others lock after the thread (a vote).
/// Later appends to these threads' logs (<see cref="ThreadLog"/>) find the lock already held. Reading the rows to change
/// after this, not before, also means reading them as the previous writer left them.
/// On SQLite there is nothing to do: the first write of a transaction takes the whole database.
/// </summary>
public static class ThreadLocks
{
    /// <summary>
    /// Locks the threads of these comments (those that exist, and are of the site when one is given: an id from another
    /// site's request makes no one wait), lowest thread id first.
    /// </summary>
    public static async Task OfCommentsAsync(HearthDb db, IReadOnlyCollection<long> commentIds, CancellationToken ct, long? siteId = null)
    {
        if (!db.Database.IsNpgsql() || commentIds.Count == 0)
        {
            return;
        }
        var ids = commentIds.Distinct().ToArray();
        // The same lock an UPDATE of the row takes; rows are locked as they come out of the sort, so in ascending order.
        var sql = siteId is { } site
            ? (FormattableString)$"""
                SELECT "Id" AS "Value" FROM "Threads"
                WHERE "Id" IN (SELECT "ThreadId" FROM "Comments" WHERE "Id" = ANY({ids}) AND "SiteId" = {site})
                ORDER BY "Id" FOR NO KEY UPDATE
                """
            : $"""
                SELECT "Id" AS "Value" FROM "Threads"
                WHERE "Id" IN (SELECT "ThreadId" FROM "Comments" WHERE "Id" = ANY({ids}))
                ORDER BY "Id" FOR NO KEY UPDATE
                """;
        await db.Database.SqlQuery<long>(sql).ToListAsync(ct);
    }

    /// <summary>
    /// Locks every thread of a site for deleting, lowest id first: the strong lock at once, since taking the weaker one and
    /// deleting later would wait on a comment being posted there, which waits on this.
    /// </summary>
    public static async Task OfSiteForDeletingAsync(HearthDb db, long siteId, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
        {
            return;
        }
        await db.Database.SqlQuery<long>($"""
            SELECT "Id" AS "Value" FROM "Threads" WHERE "SiteId" = {siteId} ORDER BY "Id" FOR UPDATE
            """).ToListAsync(ct);
    }

    /// <summary>Locks these threads, lowest id first.</summary>
    public static async Task TakeAsync(HearthDb db, IReadOnlyCollection<long> threadIds, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql() || threadIds.Count == 0)
        {
            return;
        }
        var ids = threadIds.Distinct().ToArray();
        await db.Database.SqlQuery<long>($"""
            SELECT "Id" AS "Value" FROM "Threads" WHERE "Id" = ANY({ids}) ORDER BY "Id" FOR NO KEY UPDATE
            """).ToListAsync(ct);
    }

    /// <summary>
    /// A page with no thread yet has no row to lock: its first posts take turns on a lock named after the page (held to
    /// the end of the transaction), so a second one, on any node, looks for the thread and its twin after the first
    /// has stored them. Nothing on SQLite.
    /// </summary>
    public static async Task NewPageAsync(HearthDb db, long siteId, string key, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
        {
            return;
        }
        var name = PageLockName(siteId, key);
        await db.Database.SqlQuery<int>($"""SELECT 1 AS "Value" FROM pg_advisory_xact_lock(hashtextextended({name}, 0))""").ToListAsync(ct);
    }

    public static string PageLockName(long siteId, string key) => $"hearth-page:{siteId}:{key}";
}
