using Hearth.Conversations;
using Hearth.Live;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Accounts;

/// <summary>
/// One person, one face: when someone changes their name, website or picture, their earlier comments follow. Each
/// comment that changes is an update in its thread's log, in the same transaction, so every node's cached pages of
/// those threads are known to be behind even if the change bus's message is lost, and open pages show the new face.
/// </summary>
public sealed class MemberComments(HearthDb db, WriteGate gate, InstanceKey keys, ThreadChanges changes, TimeProvider clock)
{
    /// <summary>
    /// Comments looked at in one turn at the write gate. A person with a hundred thousand comments renamed in one
    /// transaction held every writer of the node (and, on PostgreSQL, every thread they wrote in) for the whole of it;
    /// in turns of this many, posts on every site go on between them, and each turn costs the same few statements.
    /// </summary>
    internal const int PerTurn = 500;

    /// <remarks>
    /// Callers on a request pass no request token: each turn commits on its own, and a browser that stops waiting must
    /// not leave some comments under the new name and the rest under the old.
    /// </remarks>
    public async Task RefreshAuthorAsync(long userId, CancellationToken ct)
    {
        var after = 0L;
        while (await RefreshTurnAsync(userId, after, ct) is { } last)
        {
            await changes.PublishAsync();
            after = last;
        }
    }

    /// <returns>The last comment id the turn looked at, or null when the person has no comment after <paramref name="after"/>.</returns>
    async Task<long?> RefreshTurnAsync(long userId, long after, CancellationToken ct)
    {
        using (await gate.EnterAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var ids = await db.Comments.Where(c => c.Author.UserId == userId && c.Id > after).OrderBy(c => c.Id)
                .Select(c => c.Id).Take(PerTurn).ToListAsync(ct);
            if (ids.Count == 0)
            {
                return null;
            }
            // Their threads first, in the one order all writers use; then the comments, and the name and picture to give
            // them, as they now are: read before, a refresh waiting here for one that started later (a second rename on
            // another node) would write the older name over the newer one.
            await ThreadLocks.OfCommentsAsync(db, ids, ct);
            var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == userId, ct);
            var avatar = (await db.UploadedAvatars.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == userId, ct))?.Url;
            var changing = await db.Comments.AsNoTracking()
                .Where(c => ids.Contains(c.Id) && c.Author.UserId == userId
                    && (c.Author.Name != user.DisplayName || c.Author.Website != user.Website || c.Author.Avatar != avatar))
                .Select(c => new Changing(c.Id, c.ThreadId))
                .ToListAsync(ct);
            if (changing.Count > 0)
            {
                var changed = changing.Select(c => c.Id).ToList();
                await LogAsync(changing, ThreadLog.MemberActor(keys, userId), ct);
                await db.Comments.Where(c => changed.Contains(c.Id)).ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.Author.Name, user.DisplayName)
                    .SetProperty(c => c.Author.Website, user.Website)
                    .SetProperty(c => c.Author.Avatar, avatar), ct);
            }
            await transaction.CommitAsync(ct);
            return ids[^1];
        }
    }

    sealed record Changing(long Id, long ThreadId);

    /// <summary>
    /// An update in its thread's log for each changed comment, numbered on from the thread's last entry: the numbers of a
    /// thread are taken in one increment of its row, and the entries written in one statement, for all the turn's threads.
    /// </summary>
    async Task LogAsync(List<Changing> changing, string actor, CancellationToken ct)
    {
        var perThread = changing.GroupBy(c => c.ThreadId).ToDictionary(g => g.Key, g => g.Count());
        // The ids and counts are the database's own numbers, never text from a person.
        var counts = string.Join(' ', perThread.Select(t => FormattableString.Invariant($"WHEN {t.Key} THEN {t.Value}")));
        var threads = Numbers(perThread.Keys);
        var shift = $"""
            UPDATE "Threads" SET "EventSeq" = "EventSeq" + CASE "Id" {counts} END WHERE "Id" IN ({threads})
            RETURNING "SiteId", "Key", "Id" AS "ThreadId", "EventSeq" AS "Seq"
            """;
        foreach (var move in await db.Database.SqlQueryRaw<ThreadMove>(shift).ToListAsync(ct))
        {
            db.LogMoves[move.ThreadId] = move;
        }
        var log = $$"""
            INSERT INTO "ThreadEvents" ("SiteId", "ThreadId", "Seq", "CommentId", "Type", "ActorKey", "AuthorKey", "ParentAuthorKey",
                "StatusBefore", "StatusAfter", "At")
            SELECT "c"."SiteId", "c"."ThreadId",
                "t"."EventSeq" - CASE "c"."ThreadId" {{counts}} END + ROW_NUMBER() OVER (PARTITION BY "c"."ThreadId" ORDER BY "c"."Id"),
                "c"."Id", {0}, {1}, NULLIF("c"."Author_Key", ''),
                NULLIF((SELECT "p"."Author_Key" FROM "Comments" AS "p" WHERE "p"."Id" = COALESCE("c"."ReplyToId", "c"."ParentId")), ''),
                "c"."Status", "c"."Status", {2}
            FROM "Comments" AS "c" JOIN "Threads" AS "t" ON "t"."Id" = "c"."ThreadId"
            WHERE "c"."Id" IN ({{Numbers(changing.Select(c => c.Id))}})
            """;
        await db.Database.ExecuteSqlRawAsync(log, [ThreadEvent.Updated, actor, clock.GetUtcNow().UtcDateTime], ct);
    }

    static string Numbers(IEnumerable<long> ids) => string.Join(',', ids.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
