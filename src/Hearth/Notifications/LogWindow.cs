using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Notifications;

/// <summary>
/// The entries of the thread log one round of a background hand-out (followed conversations, followed people, guest
/// reply e-mails) reads: after <see cref="From"/>, up to <see cref="UpTo"/>.
/// </summary>
/// <remarks>
/// Each hand-out keeps a cursor. On PostgreSQL an id is taken when a write starts and seen when it commits, so an entry
/// can appear behind the cursor however long after (a transaction held up by locks, a slow disk): rounds there always
/// read the <see cref="LookBack"/> entries behind it again, an indexed range. SQLite commits one write at a time, in
/// the order of its ids, so nothing ever appears behind the cursor, and a round with nothing new reads nothing: before
/// this, every round of every hand-out read its last 2,000 entries again there too, on a quiet instance as on a busy one.
/// </remarks>
public readonly record struct LogWindow(long From, long UpTo)
{
    public const long LookBack = 2_000;

    /// <summary>What a round reads after <paramref name="cursor"/>, at most <paramref name="batch"/> new entries; null when nothing.</summary>
    public static LogWindow? Of(HearthDb db, long cursor, long last, int batch)
    {
        var upTo = Math.Min(last, cursor + batch);
        if (db.Database.IsNpgsql())
        {
            return new LogWindow(Math.Max(0, cursor - LookBack), Math.Max(cursor, upTo));
        }
        return upTo > cursor ? new LogWindow(cursor, upTo) : null;
    }
}
