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
    /// Everything a batch of posts will wait for, taken before its first post runs and in one order on every node: the
    /// locks of new pages (by name), then the rows of the threads (by id), including the threads new pages have gained
    /// since their posts were read, then a lock for each person whose record the posts change (the authors, and the
    /// authors of the comments answered; by the lock's number). Taken as each post came to them, a batch holding a
    /// person's record would wait for a new page's lock or another person's record that a batch on another node holds
    /// while it waits for that record: PostgreSQL then ends one of the two. Nothing on SQLite.
    /// </summary>
    public static async Task ForBatchAsync(HearthDb db, IReadOnlyCollection<PostLocks> posts, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql() || posts.Count == 0)
        {
            return;
        }
        var newPages = posts.Where(p => p.ThreadId is null).ToList();
        object[] values =
        [
            newPages.Select(p => PageLockName(p.SiteId, p.PageKey)).ToArray(),
            posts.Where(p => p.ThreadId is not null).Select(p => p.ThreadId!.Value).ToArray(),
            newPages.Select(p => p.SiteId).ToArray(),
            newPages.Select(p => p.PageKey).ToArray(),
            posts.Select(p => p.SiteId).ToArray(),
            posts.Select(p => p.AuthorKey).ToArray(),
            posts.Where(p => p.ParentId is not null).Select(p => p.ParentId!.Value).ToArray(),
        ];
        await db.Database.ExecuteSqlRawAsync(BatchLocks, values, ct);
    }

    // A subquery with ORDER BY is run as written, so the locks are taken in its order. The threads are found by id and
    // by page in two index look-ups (an OR of the two read the whole table).
    static readonly string BatchLocks = """
        SELECT pg_advisory_xact_lock(hashtextextended("p"."n", 0)) FROM (
            SELECT DISTINCT "n" FROM unnest({0}::text[]) AS "u"("n") ORDER BY "n") AS "p";
        SELECT "Id" FROM "Threads" WHERE "Id" IN (
            SELECT unnest({1}::bigint[])
            UNION ALL
            SELECT "t"."Id" FROM unnest({2}::bigint[], {3}::text[]) AS "u"("s", "k") JOIN "Threads" AS "t" ON "t"."SiteId" = "u"."s" AND "t"."Key" = "u"."k")
        ORDER BY "Id" FOR NO KEY UPDATE;
        """ + "\n" + PersonLocksSql(4, 5, 6);

    /// <summary>
    /// Locks the persons whose records a writer of several people's records will change (a decision on many comments, a
    /// claim, a link, an account deleted): <paramref name="people"/> and the authors of <paramref name="authorsOf"/>, in
    /// the order a batch of posts takes them (<see cref="ForBatchAsync"/>). Take them after the threads and before
    /// changing any record: a writer that changed Yusuf's record and then waited for Xena's, while a batch held Xena's and
    /// had Yusuf's to change, would deadlock with it. A writer of one person's record needs nothing here: it waits for
    /// that record alone, and a batch never waits for a thread once it holds a person. Nothing on SQLite.
    /// </summary>
    public static async Task OfPeopleAsync(HearthDb db, IEnumerable<(long SiteId, string Key)> people, IReadOnlyCollection<long> authorsOf,
        CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
        {
            return;
        }
        var list = people.Where(p => p.Key.Length > 0).ToList();
        if (list.Count == 0 && authorsOf.Count == 0)
        {
            return;
        }
        object[] values = [list.Select(p => p.SiteId).ToArray(), list.Select(p => p.Key).ToArray(), authorsOf.Distinct().ToArray()];
        await db.Database.ExecuteSqlRawAsync(PeopleLocks, values, ct);
    }

    static readonly string PeopleLocks = PersonLocksSql(0, 1, 2);

    // One lock a person, named apart from the pages' (the numbers share one space): the authors given by site and key
    // (parameters numbered sites and keys) and those of the comments given (comments), by the lock's number.
    static string PersonLocksSql(int sites, int keys, int comments) => $$"""
        SELECT pg_advisory_xact_lock("q"."h") FROM (
            SELECT DISTINCT hashtextextended('hearth-person:' || "a"."s" || ':' || "a"."k", 0) AS "h" FROM (
                SELECT "s", "k" FROM unnest({{{sites}}}::bigint[], {{{keys}}}::text[]) AS "u"("s", "k")
                UNION ALL
                SELECT "SiteId", "Author_Key" FROM "Comments" WHERE "Id" = ANY({{{comments}}}::bigint[])) AS "a"
            WHERE "a"."k" <> ''
            ORDER BY "h") AS "q";
        """;

    /// <summary>
    /// A page with no thread yet has no row to lock: its first posts take turns on a lock named after the page (held to
    /// the end of the transaction), so a second one, on any node, looks for the thread and its twin after the first
    /// has stored them.
    /// </summary>
    public static string PageLockName(long siteId, string key) => $"hearth-page:{siteId}:{key}";
}

/// <summary>
/// What a post will wait for in its batch, known before it joins one: its thread (null for a page that had none when
/// the post was read), its page, its author, and the comment it answers (see <see cref="ThreadLocks.ForBatchAsync"/>).
/// </summary>
public sealed record PostLocks(long SiteId, long? ThreadId, string PageKey, string AuthorKey, long? ParentId);
