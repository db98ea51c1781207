using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.People;

/// <summary>
/// Builds the people of an instance that had comments before people were kept: one row per (site, author key), counted
/// from the comments in the database's own loops (three set-based statements in one transaction; nothing is read into
/// this process). Runs at start while no one is kept yet; from then on <see cref="PersonLedger"/> keeps them current.
/// Inserting skips keys already there, so a second node starting at the same moment adds nothing twice.
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
        // Only the day expression above is put into the text; nothing in it comes from a request.
        var insert = $"""
            INSERT INTO "People" ("SiteId", "Kind", "Key", "UserId", "Name", "FirstCommentAt", "LastCommentAt", "LastActiveDay",
                "Comments", "Approved", "RepliesGiven", "RepliesReceived", "DaysActive", "ReportsAgainst", "TrustLevel")
            SELECT "c"."SiteId",
                CASE WHEN MAX("c"."Author_Kind") = 'Guest' THEN 'Guest'
                    WHEN EXISTS (SELECT 1 FROM "UserLogins" AS "l" WHERE "l"."UserId" = MAX("c"."Author_UserId")
                        AND "l"."LoginProvider" = 'sso:' || CAST("c"."SiteId" AS TEXT)) THEN 'Sso'
                    ELSE 'Member' END,
                "c"."Author_Key", MAX("c"."Author_UserId"),
                (SELECT "n"."Author_Name" FROM "Comments" AS "n" WHERE "n"."Id" = MAX("c"."Id")),
                MIN("c"."CreatedAt"), MAX("c"."CreatedAt"), {Day("MAX(\"c\".\"CreatedAt\")")},
                COUNT(*),
                SUM(CASE WHEN "c"."Status" = 'Published' THEN 1 ELSE 0 END),
                SUM(CASE WHEN "a"."Author_Key" <> '' AND "a"."Author_Key" <> "c"."Author_Key" THEN 1 ELSE 0 END),
                0,
                COUNT(DISTINCT {Day("\"c\".\"CreatedAt\"")}),
                0, 0
            FROM "Comments" AS "c"
            LEFT JOIN "Comments" AS "a" ON "a"."Id" = COALESCE("c"."ReplyToId", "c"."ParentId")
            WHERE "c"."Author_Key" <> ''
            GROUP BY "c"."SiteId", "c"."Author_Key"
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
