using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Notifications;

/// <summary>
/// The entries of the thread log one round of a background hand-out (followed conversations, followed people, guest
/// reply e-mails) reads: after <see cref="From"/>, up to <see cref="UpTo"/>.
/// </summary>
/// <remarks>
/// Each hand-out keeps a cursor. On PostgreSQL an id is taken when a write starts and seen when it commits, so an entry
/// can appear behind the cursor: rounds there read the <see cref="LookBack"/> entries behind it again. That is needed
/// only while writes are arriving: once the newest entry is older than <see cref="QuietAfter"/>, no write that could
/// still commit behind the cursor is in flight, and a round with nothing new reads nothing. SQLite commits one write
/// at a time, in the order of its ids, so it never reads an entry twice. Before this, every round of every hand-out
/// read its last 2,000 entries again, on a quiet instance as on a busy one.
/// </remarks>
public readonly record struct LogWindow(long From, long UpTo)
{
    public const long LookBack = 2_000;
    public static readonly TimeSpan QuietAfter = TimeSpan.FromMinutes(1);

    /// <summary>The newest entry of the log and when it was written; (0, null) for an empty log.</summary>
    public static async Task<(long Last, DateTime? At)> NewestAsync(HearthDb db, CancellationToken ct)
    {
        var newest = await db.ThreadEvents.AsNoTracking().OrderByDescending(e => e.Id).Select(e => new { e.Id, e.At }).FirstOrDefaultAsync(ct);
        return newest is null ? (0, null) : (newest.Id, newest.At);
    }

    /// <summary>What a round reads after <paramref name="cursor"/>, at most <paramref name="batch"/> new entries; null when nothing.</summary>
    public static LogWindow? Of(HearthDb db, long cursor, (long Last, DateTime? At) newest, int batch, DateTime now)
    {
        var upTo = Math.Min(newest.Last, cursor + batch);
        if (!db.Database.IsNpgsql())
        {
            return upTo > cursor ? new LogWindow(cursor, upTo) : null;
        }
        if (upTo <= cursor && (newest.At is not { } at || at < now - QuietAfter))
        {
            return null;
        }
        return new LogWindow(Math.Max(0, cursor - LookBack), Math.Max(cursor, upTo));
    }
}
