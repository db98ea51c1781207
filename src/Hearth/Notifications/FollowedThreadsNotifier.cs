using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Notifications;

/// <summary>
/// New comments in followed conversations reach their followers' inboxes in the background, from the threads' log,
/// so a comment in a conversation with hundreds of followers costs its writer nothing more. One node at a time does
/// it (a lease); where it got to is kept in the database with the notifications it wrote, in one transaction, so a
/// node that dies in the middle neither loses nor repeats any (the unique key on person, comment and kind also
/// makes a repeat harmless).
/// </summary>
sealed class FollowedThreadsNotifier(IServiceScopeFactory scopes, Leases leases, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<HearthOptions> options, LogHandOutSignal moves, ILogger<FollowedThreadsNotifier> logger)
    : LeasedWork(leases, clock, logger)
{
    public const string Cursor = "notifications:followed:cursor";

    /// <summary>
    /// Log entries handed out per transaction. Each may become as many rows as its thread has followers, and on SQLite
    /// the transaction holds the instance's one writer: kept small, so a thread with thousands of followers costs a
    /// few short transactions, not one long one.
    /// </summary>
    const int Batch = 200;

    /// <summary>
    /// The shortest time between two rounds when new comments wake the holder: followers hear of news within about this,
    /// and a flood of comments costs a round per second, not one per comment.
    /// </summary>
    internal static readonly TimeSpan Soonest = TimeSpan.FromSeconds(1);

    Task? _moved;

    protected override string LeaseName => "notify:followed";

    protected override async Task RunAsync(CancellationToken ct)
    {
        // Taken before looking, so a comment written while this round runs wakes the next one.
        _moved = moves.Next;
        while (await RoundAsync(ct) && await StillHeldAsync(ct))
        {
        }
        // Followed people after followed conversations, on the same lease: a comment that is both is told once.
        while (await PeopleRoundAsync(ct) && await StillHeldAsync(ct))
        {
        }
    }

    /// <summary>
    /// The holder waits for the renewal or, once <see cref="Soonest"/> has passed, the next move of any thread; a node
    /// without the lease only renews. Both times are set when the wait begins, so a clock moved at once (as tests move
    /// theirs) is heard.
    /// </summary>
    protected override async Task WaitAsync(TimeSpan longest, CancellationToken ct)
    {
        if (_moved is not { } moved)
        {
            await base.WaitAsync(longest, ct);
            return;
        }
        _moved = null;
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewal = Task.Delay(longest, Clock, either.Token);
        var soonest = Task.Delay(Soonest, Clock, either.Token);
        await Task.WhenAny(renewal, Task.WhenAll(soonest, moved));
        await either.CancelAsync();
        ct.ThrowIfCancellationRequested();
    }

    async Task<bool> PeopleRoundAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        return await PersonFanoutWork.RoundAsync(db, Clock.GetUtcNow().UtcDateTime, options.Value.NotificationsKeptFor, ct);
    }

    async Task<bool> RoundAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        return await HandOutAsync(db, Clock.GetUtcNow().UtcDateTime, options.Value.NotificationsKeptFor, ct);
    }

    /// <summary>One batch; true when there may be more.</summary>
    internal static async Task<bool> HandOutAsync(HearthDb db, DateTime now, TimeSpan keptFor, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var last = await db.ThreadEvents.MaxAsync(e => (long?)e.Id, ct) ?? 0;
        var setting = await db.InstanceSettings.FirstOrDefaultAsync(s => s.Name == Cursor, ct);
        if (setting is null)
        {
            // A new instance (or one from before following existed) starts from now: no one is told of old comments.
            db.InstanceSettings.Add(new InstanceSetting { Name = Cursor, Value = last.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return false;
        }
        var cursor = long.Parse(setting.Value, System.Globalization.CultureInfo.InvariantCulture);
        if (LogWindow.Of(db, cursor, last, Batch) is not { } window)
        {
            return false;
        }
        // Everyone following the thread of a published new comment, but not its author, and not someone already told
        // of that comment otherwise (the one it replies to), nor someone who muted its author. Never of a comment older than an inbox keeps: on a quiet
        // instance the look-back reaches old entries at every round, and their notifications, once forgotten, would
        // come back as new.
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO "Notifications" ("UserId", "SiteId", "ThreadId", "CommentId", "Kind", "CreatedAt")
            SELECT "f"."UserId", "e"."SiteId", "e"."ThreadId", "e"."CommentId", {0}, {1}
            FROM "ThreadEvents" AS "e"
            JOIN "Comments" AS "c" ON "c"."Id" = "e"."CommentId"
            JOIN "Follows" AS "f" ON "f"."ThreadId" = "e"."ThreadId" AND "f"."State" = {2} AND "f"."SinceCommentId" < "e"."CommentId"
            WHERE "e"."Id" > {3} AND "e"."Id" <= {4} AND "e"."Type" = {5} AND "c"."Status" = {6}
              AND "e"."At" >= {7}
              AND ("c"."Author_UserId" IS NULL OR "c"."Author_UserId" <> "f"."UserId")
              AND NOT EXISTS (SELECT 1 FROM "Notifications" AS "n" WHERE "n"."UserId" = "f"."UserId" AND "n"."CommentId" = "e"."CommentId")
              AND NOT EXISTS (SELECT 1 FROM "People" AS "p" JOIN "PersonFollows" AS "m" ON "m"."PersonId" = "p"."Id" AND "m"."UserId" = "f"."UserId"
                  WHERE "p"."SiteId" = "c"."SiteId" AND "p"."Key" = "c"."Author_Key" AND "m"."State" = {8})
            ON CONFLICT ("UserId", "CommentId", "Kind") DO NOTHING
            """, [Notification.Followed, now, Follow.Following, window.From, window.UpTo, ThreadEvent.Created,
                nameof(CommentStatus.Published), now - keptFor, PersonFollow.Muted], ct);
        setting.Value = window.UpTo.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return window.UpTo < last;
    }
}
