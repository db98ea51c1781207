using System.Globalization;
using Hearth.GuestReplies;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Notifications;

/// <summary>
/// How far each background hand-out of the thread log (followed conversations, followed people, guest reply e-mails)
/// is behind the log's end, in entries: what /metrics calls the hand-outs' queues. The instance's, read from the
/// database, so every node reports the same.
/// </summary>
/// <remarks>
/// The distance between two ids, not a count of rows: it costs two index lookups however far behind a hand-out is,
/// where a count would read the whole backlog at every scrape. On PostgreSQL ids can skip (a rolled-back write keeps
/// its id), so it may read a little high there; zero means caught up on both engines. A hand-out that has not started
/// yet starts from the end of the log, so it is not behind.
/// </remarks>
public static class HandOutBacklog
{
    public static readonly IReadOnlyList<(string Work, string Cursor)> HandOuts =
    [
        ("followed", FollowedThreadsNotifier.Cursor),
        ("people", PersonFanoutWork.Cursor),
        ("guest-replies", GuestReplyRound.Cursor),
    ];

    public static List<(string Work, long Behind)> Read(HearthDb db)
    {
        var last = db.ThreadEvents.Max(e => (long?)e.Id) ?? 0;
        var names = HandOuts.Select(h => h.Cursor).ToList();
        var cursors = db.InstanceSettings.AsNoTracking().Where(s => names.Contains(s.Name)).ToDictionary(s => s.Name, s => s.Value);
        return HandOuts.Select(h => (h.Work, cursors.TryGetValue(h.Cursor, out var value)
            ? Math.Max(0, last - long.Parse(value, CultureInfo.InvariantCulture))
            : 0L)).ToList();
    }
}
