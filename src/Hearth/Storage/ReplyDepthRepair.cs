using Microsoft.EntityFrameworkCore;

namespace Hearth.Storage;

/// <summary>
/// Brings threads written before the depth rule (or before Hearth:MaxReplyDepth was lowered) within it: every reply
/// below the deepest level is re-attached beside its ancestor at that level, keeping the comment it answered as its
/// reply-to, so no page ever holds a chain longer than the setting. Runs at every start; a glance when nothing is deeper.
/// </summary>
/// <remarks>
/// Set-based SQL, in one transaction, with no recursion in this process: the recursive query walks down from the
/// comments at the deepest level (by the parent index) in the database's own loop, and one UPDATE moves the lot.
/// Identifiers are quoted and nothing is SQLite-only, so the same statements run on PostgreSQL (with a hint to its planner).
/// </remarks>
public static class ReplyDepthRepair
{
    public static async Task<int> RunAsync(HearthDb db, int maxReplyDepth, CancellationToken ct)
    {
        var deepest = Math.Clamp(maxReplyDepth, 1, Conversations.Comment.ReplyDepthLimit);
        if (!await db.Comments.AnyAsync(c => c.Depth > deepest, ct))
        {
            return 0;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (db.Database.IsNpgsql())
        {
            // PostgreSQL plans the recursive step once, before it knows the walk goes one row at a time, and chose to
            // hash the whole table for every level: 20,000 levels took minutes. Following the parent index from each
            // row is what the walk needs; this holds for this transaction only.
            await db.Database.ExecuteSqlRawAsync("SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off;", ct);
        }
        await db.Database.ExecuteSqlRawAsync(
            """
            DROP TABLE IF EXISTS "DeepReplies";
            CREATE TEMPORARY TABLE "DeepReplies" ("Id" BIGINT PRIMARY KEY, "Anchor" BIGINT NOT NULL, "Root" BIGINT NOT NULL);
            """, ct);
        // Each comment at the deepest level anchors its descendants to its own parent. UNION (not UNION ALL) drops
        // repeated rows, so even a cycle written into the table by hand ends the walk.
        await db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO "DeepReplies" ("Id", "Anchor", "Root")
            WITH RECURSIVE "Below" ("Id", "Anchor", "Root") AS (
                SELECT c."Id", c."ParentId", COALESCE(c."RootId", c."ParentId")
                FROM "Comments" c WHERE c."Depth" = {0} AND c."ParentId" IS NOT NULL
                UNION
                SELECT child."Id", b."Anchor", b."Root"
                FROM "Comments" child JOIN "Below" b ON child."ParentId" = b."Id"
            )
            SELECT b."Id", MIN(b."Anchor"), MIN(b."Root") FROM "Below" b
            JOIN "Comments" c ON c."Id" = b."Id"
            WHERE c."Depth" <> {0} OR c."ParentId" <> b."Anchor"
            GROUP BY b."Id";
            """, [deepest], ct);
        var moved = await db.Database.ExecuteSqlRawAsync(
            """
            UPDATE "Comments" SET
                "ReplyToId" = COALESCE("ReplyToId", "ParentId"),
                "ParentId" = (SELECT d."Anchor" FROM "DeepReplies" d WHERE d."Id" = "Comments"."Id"),
                "RootId" = (SELECT d."Root" FROM "DeepReplies" d WHERE d."Id" = "Comments"."Id"),
                "Depth" = {0}
            WHERE "Id" IN (SELECT "Id" FROM "DeepReplies");
            """, [deepest], ct);
        await db.Database.ExecuteSqlRawAsync("""DROP TABLE "DeepReplies";""", ct);
        await transaction.CommitAsync(ct);
        return moved;
    }
}
