using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.People;

/// <summary>
/// Builds the people of an instance that had comments before people were kept: one row per (site, author key), counted
/// from the comments in the database's own loops (three set-based statements in one transaction; nothing is read into
/// this process). Runs at start while no one is kept yet; from then on <see cref="PersonLedger"/> keeps them current.
/// A second node starting at the same moment waits for the first one's backfill and then does nothing (and, were it to
/// run, inserting skips keys already there and the counts are set, not added to).
/// </summary>
/// <remarks>
/// What a comment no longer says is not made up: a tombstone has lost its author and counts for no one, and a comment
/// removed from the database is not counted among the person's comments.
/// </remarks>
public static class PeopleBackfill
{
    public static async Task<int> RunAsync(HearthDb db, CancellationToken ct)
    {
        if (await db.People.AnyAsync(ct) || !await db.Comments.AnyAsync(c => c.Author.Key != "", ct))
        {
            return 0;
        }
        // The UTC day of a time: SQLite keeps times as text, PostgreSQL as timestamptz (whose cast to a date would
        // otherwise follow the session's time zone).
        string Day(string column) => db.Database.IsNpgsql() ? $"(({column}) AT TIME ZONE 'UTC')::date" : $"date({column})";

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Two nodes starting at once both find no one above. The first to get here does the work and the other finds it
        // done: on PostgreSQL the table lock below waits for the other's backfill to commit (and keeps the ledger's writes
        // out until this one does); on SQLite the transaction began by taking the write lock, which does the same.
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("""LOCK TABLE "People" IN SHARE ROW EXCLUSIVE MODE""", ct);
        }
        if (await db.People.AnyAsync(ct))
        {
            return 0;
        }
        // Only the day expression above is put into the text; nothing in it comes from a request.
        var insert = $"""
            INSERT INTO "People" ("SiteId", "Kind", "Key", "UserId", "Name", "FirstCommentAt", "LastCommentAt", "LastActiveDay",
                "Comments", "Approved", "RepliesGiven", "RepliesReceived", "DaysActive", "ReportsAgainst", "TrustLevel", "UpheldReports", "FirstCommentId")
            SELECT "g"."SiteId",
                CASE WHEN "g"."Kind" = 'Guest' THEN 'Guest'
                    WHEN EXISTS (SELECT 1 FROM "UserLogins" AS "l" WHERE "l"."UserId" = "g"."UserId"
                        AND "l"."LoginProvider" = 'sso:' || CAST("g"."SiteId" AS TEXT)) THEN 'Sso'
                    ELSE 'Member' END,
                "g"."Key", "g"."UserId", "n"."Author_Name", "g"."First", "g"."Last", {Day("\"g\".\"Last\"")},
                "g"."Comments", "g"."Approved", "g"."Given", 0, "g"."Days", 0, 0, 0, "g"."FirstId"
            FROM (
                SELECT "c"."SiteId", "c"."Author_Key" AS "Key", MAX("c"."Author_Kind") AS "Kind", MAX("c"."Author_UserId") AS "UserId",
                    MAX("c"."Id") AS "LastId", MIN("c"."Id") AS "FirstId", MIN("c"."CreatedAt") AS "First", MAX("c"."CreatedAt") AS "Last", COUNT(*) AS "Comments",
                    SUM(CASE WHEN "c"."Status" = 'Published' THEN 1 ELSE 0 END) AS "Approved",
                    SUM(CASE WHEN "a"."Author_Key" <> '' AND "a"."Author_Key" <> "c"."Author_Key" THEN 1 ELSE 0 END) AS "Given",
                    COUNT(DISTINCT {Day("\"c\".\"CreatedAt\"")}) AS "Days"
                FROM "Comments" AS "c"
                LEFT JOIN "Comments" AS "a" ON "a"."Id" = COALESCE("c"."ReplyToId", "c"."ParentId")
                WHERE "c"."Author_Key" <> ''
                    -- Comments kept from a deleted account (AccountDeletion.FormerMember) each have a key of their own, and no one behind them.
                    AND NOT ("c"."Author_Kind" = 'Guest' AND "c"."Author_Email" IS NULL AND "c"."Author_Name" = 'former member')
                GROUP BY "c"."SiteId", "c"."Author_Key") AS "g"
            JOIN "Comments" AS "n" ON "n"."Id" = "g"."LastId"
            -- The name is the one of the person's latest comment; WHERE keeps SQLite from reading ON CONFLICT as the join's.
            WHERE TRUE
            ON CONFLICT ("SiteId", "Key") DO NOTHING
            """;
        var added = await db.Database.ExecuteSqlRawAsync(insert, ct);
        await db.Database.ExecuteSqlRawAsync("""
            UPDATE "People" SET "RepliesReceived" = "x"."Count"
            FROM (SELECT "a"."SiteId", "a"."Author_Key" AS "Key", COUNT(*) AS "Count"
                FROM "Comments" AS "r" JOIN "Comments" AS "a" ON "a"."Id" = COALESCE("r"."ReplyToId", "r"."ParentId")
                WHERE "r"."Author_Key" <> '' AND "a"."Author_Key" <> '' AND "r"."Author_Key" <> "a"."Author_Key"
                GROUP BY "a"."SiteId", "a"."Author_Key") AS "x"
            WHERE "People"."SiteId" = "x"."SiteId" AND "People"."Key" = "x"."Key"
            """, ct);
        await db.Database.ExecuteSqlRawAsync("""
            UPDATE "People" SET "ReportsAgainst" = "x"."Count"
            FROM (SELECT "a"."SiteId", "a"."Author_Key" AS "Key", COUNT(*) AS "Count"
                FROM "Reports" AS "r" JOIN "Comments" AS "a" ON "a"."Id" = "r"."CommentId"
                WHERE "a"."Author_Key" <> ''
                GROUP BY "a"."SiteId", "a"."Author_Key") AS "x"
            WHERE "People"."SiteId" = "x"."SiteId" AND "People"."Key" = "x"."Key"
            """, ct);
        await transaction.CommitAsync(ct);
        return added;
    }
}
