using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Portability;

/// <summary>
/// The person records of a chunk of imported comments, in the chunk's transaction: what <see cref="People.PersonLedger"/>
/// does for one comment, done for thousands in two set-based statements. Imported authors are guests (a guest can
/// claim them later by proving the address). Days active are counted again from the comments once the import is
/// over (<see cref="CountDaysAsync"/>): a day two chunks share would count twice.
/// </summary>
static class ImportPeople
{
    /// <param name="ids">The chunk's new comment ids, written by the database, as a comma-separated list.</param>
    public static async Task CountAsync(HearthDb db, long siteId, string ids, CancellationToken ct)
    {
        string Day(string column) => db.Database.IsNpgsql() ? $"(({column}) AT TIME ZONE 'UTC')::date" : $"date({column})";
        // Only the ids (numbers the database gave) and the day expression above are put into the text.
        var insert = $$"""
            INSERT INTO "People" ("SiteId", "Kind", "Key", "UserId", "Name", "FirstCommentAt", "LastCommentAt", "LastActiveDay",
                "Comments", "Approved", "RepliesGiven", "RepliesReceived", "DaysActive", "ReportsAgainst", "TrustLevel")
            SELECT {0}, 'Guest', "g"."Key", NULL, "n"."Author_Name", "g"."First", "g"."Last", {{Day("\"g\".\"Last\"")}},
                "g"."Comments", "g"."Approved", "g"."Given", 0, "g"."Days", 0, 0
            FROM (
                SELECT "c"."Author_Key" AS "Key", MAX("c"."Id") AS "LastId", MIN("c"."CreatedAt") AS "First", MAX("c"."CreatedAt") AS "Last",
                    COUNT(*) AS "Comments", SUM(CASE WHEN "c"."Status" = 'Published' THEN 1 ELSE 0 END) AS "Approved",
                    SUM(CASE WHEN "a"."Author_Key" <> '' AND "a"."Author_Key" <> "c"."Author_Key" THEN 1 ELSE 0 END) AS "Given",
                    COUNT(DISTINCT {{Day("\"c\".\"CreatedAt\"")}}) AS "Days"
                FROM "Comments" AS "c"
                LEFT JOIN "Comments" AS "a" ON "a"."Id" = COALESCE("c"."ReplyToId", "c"."ParentId")
                WHERE "c"."Id" IN ({{ids}}) AND "c"."Author_Key" <> ''
                GROUP BY "c"."Author_Key") AS "g"
            JOIN "Comments" AS "n" ON "n"."Id" = "g"."LastId"
            WHERE TRUE
            ON CONFLICT ("SiteId", "Key") DO UPDATE SET
                "Comments" = "People"."Comments" + "excluded"."Comments",
                "Approved" = "People"."Approved" + "excluded"."Approved",
                "RepliesGiven" = "People"."RepliesGiven" + "excluded"."RepliesGiven",
                "DaysActive" = "People"."DaysActive" + "excluded"."DaysActive",
                "Name" = CASE WHEN "People"."LastCommentAt" IS NULL OR "excluded"."LastCommentAt" > "People"."LastCommentAt"
                    THEN "excluded"."Name" ELSE "People"."Name" END,
                "FirstCommentAt" = CASE WHEN "People"."FirstCommentAt" IS NULL OR "excluded"."FirstCommentAt" < "People"."FirstCommentAt"
                    THEN "excluded"."FirstCommentAt" ELSE "People"."FirstCommentAt" END,
                "LastCommentAt" = CASE WHEN "People"."LastCommentAt" IS NULL OR "excluded"."LastCommentAt" > "People"."LastCommentAt"
                    THEN "excluded"."LastCommentAt" ELSE "People"."LastCommentAt" END,
                "LastActiveDay" = CASE WHEN "People"."LastActiveDay" IS NULL OR "excluded"."LastActiveDay" > "People"."LastActiveDay"
                    THEN "excluded"."LastActiveDay" ELSE "People"."LastActiveDay" END
            """;
        await db.Database.ExecuteSqlRawAsync(insert, [siteId], ct);
        var received = $$"""
            UPDATE "People" SET "RepliesReceived" = "People"."RepliesReceived" + "x"."Count"
            FROM (SELECT "a"."Author_Key" AS "Key", COUNT(*) AS "Count"
                FROM "Comments" AS "r" JOIN "Comments" AS "a" ON "a"."Id" = COALESCE("r"."ReplyToId", "r"."ParentId")
                WHERE "r"."Id" IN ({{ids}}) AND "r"."Author_Key" <> '' AND "a"."Author_Key" <> '' AND "r"."Author_Key" <> "a"."Author_Key"
                GROUP BY "a"."Author_Key") AS "x"
            WHERE "People"."SiteId" = {0} AND "People"."Key" = "x"."Key"
            """;
        await db.Database.ExecuteSqlRawAsync(received, [siteId], ct);
    }

    /// <summary>
    /// The days each imported author commented on, counted from their comments in the site, a thousand authors at a
    /// time. What the ledger counts as it goes (a later day than the last one) is the same for comments written in order.
    /// </summary>
    public static async Task CountDaysAsync(HearthDb db, WriteGate gate, string runId, long siteId, CancellationToken ct,
        StagingArea? area = null, ImportPacing? pacing = null)
    {
        string Day(string column) => db.Database.IsNpgsql() ? $"(({column}) AT TIME ZONE 'UTC')::date" : $"date({column})";
        // Grouped, not DISTINCT: so the database walks the author index in order and stops after the page.
        var page = (area ?? StagingArea.InDatabase).Sql("""
            SELECT "AuthorKey" AS "Value" FROM "ImportRows"
            WHERE "RunId" = {0} AND "Kind" = 'C' AND "Skip" IS NULL AND "AuthorKey" <> '' AND "AuthorKey" > {1}
            GROUP BY "AuthorKey" ORDER BY "AuthorKey" LIMIT 1000
            """);
        var after = "";
        while (true)
        {
            var authors = await db.Database.SqlQueryRaw<string>(page, runId, after).ToListAsync(ct);
            if (authors.Count == 0)
            {
                return;
            }
            var list = string.Join(", ", authors.Select((_, i) => "{" + (i + 1) + "}"));
            // Only placeholders and the day expression are put into the text; the keys are sent as values.
            var days = $$"""
                UPDATE "People" SET "DaysActive" = "x"."Days"
                FROM (SELECT "Author_Key" AS "Key", COUNT(DISTINCT {{Day("\"CreatedAt\"")}}) AS "Days" FROM "Comments"
                    WHERE "SiteId" = {0} AND "Author_Key" IN ({{list}}) GROUP BY "Author_Key") AS "x"
                WHERE "People"."SiteId" = {0} AND "People"."Key" = "x"."Key"
                """;
            using (await gate.EnterAsync(ct))
            {
                if (pacing is not null)
                {
                    await pacing.TurnStartsAsync(ct);
                }
                // A thousand people's records in one statement, in no order a batch of posts shares: one a batch holds
                // while it waits for another this holds is a deadlock, and this runs again once PostgreSQL ends it.
                await ImportWriting.AgainIfEndedAsync(() => db.Database.ExecuteSqlRawAsync(days, [siteId, .. authors], ct));
                await ImportConnection.RestartLogAsync(db, ct);
            }
            if (pacing is not null)
            {
                await pacing.TurnEndedAsync(ct);
            }
            after = authors[^1];
        }
    }
}
