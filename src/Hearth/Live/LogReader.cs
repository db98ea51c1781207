using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Live;

/// <summary>
/// A stretch of a thread's log rendered for readers: the events after <see cref="After"/> through <see cref="Through"/>,
/// each already in its wire bytes. Events nobody may see render to nothing, so the stretch is what says how far the log
/// was read.
/// </summary>
public sealed record LogStretch(long After, long Through, IReadOnlyList<LiveFrame> Frames, bool Full);

/// <summary>An event's place in the thread's log and its bytes on the wire.</summary>
public readonly record struct LiveFrame(long Seq, byte[] Bytes);

public static class LogReader
{
    public const int Batch = 100;

    /// <summary>
    /// Up to a batch of events after a place. Places are taken under the thread's lock, so an event is visible only once
    /// every earlier one is: what this reads is a prefix of the log, and its last place is where the next read starts.
    /// </summary>
    public static async Task<LogStretch> ReadAsync(HearthDb db, MentionLinks mentions, long threadId, long after, CancellationToken ct)
    {
        var events = await db.ThreadEvents.AsNoTracking()
            .Where(e => e.ThreadId == threadId && e.Seq > after)
            .OrderBy(e => e.Seq).Take(Batch).ToListAsync(ct);
        if (events.Count == 0)
        {
            return new LogStretch(after, after, [], false);
        }
        var items = await PublicEvents.RenderAsync(db, mentions, threadId, events, ct);
        var frames = new LiveFrame[items.Count];
        for (var i = 0; i < frames.Length; i++)
        {
            frames[i] = new LiveFrame(items[i].Seq, SseBytes.Encode(items[i].Item));
        }
        return new LogStretch(after, events[^1].Seq, frames, events.Count == Batch);
    }

    /// <summary>The thread at an address key ("site|address"), if anyone has commented there yet.</summary>
    public static Task<long?> FindThreadAsync(HearthDb db, string threadKey, CancellationToken ct)
    {
        var bar = threadKey.IndexOf('|');
        var siteId = long.Parse(threadKey.AsSpan(0, bar), System.Globalization.CultureInfo.InvariantCulture);
        var key = threadKey[(bar + 1)..];
        return db.Threads.Where(t => t.SiteId == siteId && t.Key == key).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct);
    }
}
