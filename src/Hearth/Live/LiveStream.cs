using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hearth.Live;

/// <summary>
/// One reader's live view of a thread: the event log after the position they already have, then every new
/// event as it is committed. The log is the truth; wake-ups only say when to read it.
/// </summary>
public sealed class LiveStream(HearthDb db, ThreadChanges changes, TimeProvider clock, IOptions<LiveOptions> options)
{
    const int Batch = 100;

    public async IAsyncEnumerable<SseItem<string>> RunAsync(long siteId, ThreadAddress address, long? after,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var settings = options.Value;
        var key = address.Key;
        var ends = clock.GetUtcNow() + settings.MaxStreamDuration;
        using var following = changes.Follow(ThreadPageCache.ThreadKey(siteId, key));
        var threadId = await FindThreadAsync(siteId, key, ct);
        // Without a position the reader has just loaded the page: start from now. Fixed before "ready" is
        // sent, so whatever the reader does after hearing it is on the stream.
        var position = after ?? (threadId is { } existing
            ? await db.ThreadEvents.Where(e => e.ThreadId == existing).MaxAsync(e => (long?)e.Id, ct) ?? 0
            : 0);

        yield return new SseItem<string>("", "ready") { ReconnectionInterval = settings.Retry };
        while (!ct.IsCancellationRequested && clock.GetUtcNow() < ends)
        {
            var next = following.NextChange();
            threadId ??= await FindThreadAsync(siteId, key, ct);
            if (threadId is { } id)
            {
                var events = await db.ThreadEvents.AsNoTracking()
                    .Where(e => e.ThreadId == id && e.Id > position)
                    .OrderBy(e => e.Id).Take(Batch).ToListAsync(ct);
                if (events.Count > 0)
                {
                    position = events[^1].Id;
                    foreach (var item in await PublicEvents.RenderAsync(db, id, events, ct))
                    {
                        yield return item;
                    }
                }
                if (events.Count == Batch)
                {
                    continue;
                }
            }

            var wait = ends - clock.GetUtcNow();
            // Reading the log can take the stream past its end; a negative delay would throw instead of ending it.
            if (wait <= TimeSpan.Zero)
            {
                break;
            }
            using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var timeout = Task.Delay(wait < settings.KeepAlive ? wait : settings.KeepAlive, clock, stopWaiting.Token);
            var woken = await Task.WhenAny(next, timeout);
            // A busy thread wakes streams often; each wake must not leave a timer behind.
            await stopWaiting.CancelAsync();
            if (woken == timeout && !ct.IsCancellationRequested)
            {
                yield return new SseItem<string>("", "ping");
            }
        }
    }

    Task<long?> FindThreadAsync(long siteId, string key, CancellationToken ct) =>
        db.Threads.Where(t => t.SiteId == siteId && t.Key == key).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct);
}
