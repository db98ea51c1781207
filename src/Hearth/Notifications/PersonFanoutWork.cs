using System.Globalization;
using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Notifications;

/// <summary>
/// New public comments of followed people reach their followers' inboxes in the background, read from the threads'
/// log like followed conversations' (<see cref="FollowedThreadsNotifier"/>, whose lease and rounds it shares, so the two
/// never write for the same comment at once and a follower told of it one way is not told again the other). The post
/// itself does nothing for followers. Two steps, each its own short transaction: the log's new entries of published
/// comments whose author has followers are queued (<see cref="PersonFanout"/>, one row per comment, however many
/// followers), then each queued comment is handed out to at most <see cref="Slice"/> followers per transaction, in the
/// order of their accounts, its place kept in the row. A held comment is not in the log as created until a moderator
/// publishes it; one taken down in the middle of its hand-out stops there.
/// </summary>
static class PersonFanoutWork
{
    public const string Cursor = "notifications:person:cursor";

    /// <summary>Followers handed one comment per transaction: a person followed by a hundred thousand costs a hundred.</summary>
    public const int Slice = 1_000;

    /// <summary>Log entries looked at per round (each becomes at most one queued row).</summary>
    const int Batch = 500;

    /// <summary>One round: queues what the log has new, then hands out one slice. True when there may be more.</summary>
    public static async Task<bool> RoundAsync(HearthDb db, DateTime now, TimeSpan keptFor, CancellationToken ct)
    {
        var more = await QueueAsync(db, now, keptFor, ct);
        return await HandOutAsync(db, now, ct) || more;
    }

    static async Task<bool> QueueAsync(HearthDb db, DateTime now, TimeSpan keptFor, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var last = await db.ThreadEvents.MaxAsync(e => (long?)e.Id, ct) ?? 0;
        var setting = await db.InstanceSettings.FirstOrDefaultAsync(s => s.Name == Cursor, ct);
        if (setting is null)
        {
            // A new instance (or one from before people could be followed) starts from now.
            db.InstanceSettings.Add(new InstanceSetting { Name = Cursor, Value = last.ToString(CultureInfo.InvariantCulture) });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return false;
        }
        var cursor = long.Parse(setting.Value, CultureInfo.InvariantCulture);
        if (LogWindow.Of(db, cursor, last, Batch) is not { } window)
        {
            return false;
        }
        // A queued row stays (done) while its entry is within the look-back, so reading that entry again queues nothing.
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO "PersonFanouts" ("CommentId", "SiteId", "ThreadId", "PersonId", "EventId", "NextUserId", "Done")
            SELECT "e"."CommentId", "e"."SiteId", "e"."ThreadId", "p"."Id", "e"."Id", 0, {0}
            FROM "ThreadEvents" AS "e"
            JOIN "Comments" AS "c" ON "c"."Id" = "e"."CommentId"
            JOIN "People" AS "p" ON "p"."SiteId" = "c"."SiteId" AND "p"."Key" = "c"."Author_Key"
            WHERE "e"."Id" > {1} AND "e"."Id" <= {2} AND "e"."Type" = {3} AND "c"."Status" = {4} AND "e"."At" >= {5}
              AND "c"."Author_UserId" IS NOT NULL AND "p"."MergedIntoId" IS NULL
              AND EXISTS (SELECT 1 FROM "PersonFollows" AS "f" WHERE "f"."PersonId" = "p"."Id" AND "f"."State" = {6} AND "f"."SinceCommentId" < "c"."Id")
            ON CONFLICT ("CommentId") DO NOTHING
            """, [false, window.From, window.UpTo, ThreadEvent.Created, nameof(CommentStatus.Published), now - keptFor,
                PersonFollow.Following], ct);
        await db.Set<PersonFanout>().Where(f => f.Done && f.EventId <= window.UpTo - LogWindow.LookBack).ExecuteDeleteAsync(ct);
        setting.Value = window.UpTo.ToString(CultureInfo.InvariantCulture);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return window.UpTo < last;
    }

    /// <summary>The next slice of the oldest comment still being handed out; true when anything is left.</summary>
    static async Task<bool> HandOutAsync(HearthDb db, DateTime now, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var job = await db.Set<PersonFanout>().Where(f => !f.Done).OrderBy(f => f.EventId).FirstOrDefaultAsync(ct);
        if (job is null)
        {
            return false;
        }
        var followers = db.Set<PersonFollow>().Where(f => f.PersonId == job.PersonId && f.State == PersonFollow.Following && f.UserId > job.NextUserId);
        // The last follower of this slice; none when fewer are left than a slice holds.
        var end = await followers.OrderBy(f => f.UserId).Skip(Slice - 1).Select(f => (long?)f.UserId).FirstOrDefaultAsync(ct);
        // Not to its author (an account's SSO identity linked to it is the same person), not to someone who muted the
        // conversation, and not again to someone already told of the comment as a reply, mention or followed conversation.
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO "Notifications" ("UserId", "SiteId", "ThreadId", "CommentId", "Kind", "CreatedAt")
            SELECT "f"."UserId", {0}, {1}, {2}, {3}, {4}
            FROM "PersonFollows" AS "f"
            JOIN "Comments" AS "c" ON "c"."Id" = {2}
            WHERE "f"."PersonId" = {5} AND "f"."State" = {6} AND "f"."UserId" > {7} AND "f"."UserId" <= {8} AND "f"."SinceCommentId" < {2}
              AND "c"."Status" = {9} AND "c"."Author_UserId" <> "f"."UserId"
              AND NOT EXISTS (SELECT 1 FROM "Follows" AS "t" WHERE "t"."UserId" = "f"."UserId" AND "t"."ThreadId" = {1} AND "t"."State" = {10})
              AND NOT EXISTS (SELECT 1 FROM "Notifications" AS "n" WHERE "n"."UserId" = "f"."UserId" AND "n"."CommentId" = {2})
            ON CONFLICT ("UserId", "CommentId", "Kind") DO NOTHING
            """, [job.SiteId, job.ThreadId, job.CommentId, Notification.FollowedPerson, now, job.PersonId, PersonFollow.Following,
                job.NextUserId, end ?? long.MaxValue, nameof(CommentStatus.Published), Follow.Muted], ct);
        if (end is { } next)
        {
            job.NextUserId = next;
        }
        else
        {
            job.Done = true;
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }
}
