using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hearth.Live;

/// <summary>
/// One reader's live view of a thread: the log after the place they already have, read from the database, then the
/// stretches this node's fan-out reads once for all its streams. The log is the truth; a stretch that starts past this
/// stream's place means it missed one, and the gap is read from the log.
/// </summary>
public sealed class LiveStream(HearthDb db, LiveFanOut fanOut, TimeProvider clock, IOptions<LiveOptions> options, Web.HearthMetrics metrics)
{
    public async IAsyncEnumerable<SseItem<string>> RunAsync(long siteId, ThreadAddress address, long? after,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var settings = options.Value;
        var threadKey = ThreadPageCache.ThreadKey(siteId, address.Key);
        var ends = clock.GetUtcNow() + settings.MaxStreamDuration;
        using var open = metrics.LiveOpened();
        using var follower = fanOut.Follow(threadKey);
        var threadId = await LogReader.FindThreadAsync(db, threadKey, ct);
        // Without a place the reader has just loaded the page: start from now. Fixed before "ready" is sent, so whatever
        // the reader does after hearing it is on the stream.
        var position = after ?? (threadId is { } existing
            ? await db.Threads.Where(t => t.Id == existing).Select(t => t.EventSeq).FirstAsync(ct)
            : 0);
        follower.Position = position;

        yield return new SseItem<string>("", "ready") { ReconnectionInterval = settings.Retry };
        var behind = true;
        while (!ct.IsCancellationRequested && clock.GetUtcNow() < ends)
        {
            if (behind)
            {
                threadId ??= await LogReader.FindThreadAsync(db, threadKey, ct);
                if (threadId is { } id)
                {
                    var read = await LogReader.ReadAsync(db, id, position, ct);
                    foreach (var item in read.Items)
                    {
                        yield return item.Item;
                    }
                    position = read.Through;
                    follower.Position = position;
                    behind = read.Full;
                    continue;
                }
                behind = false;
            }
            if (follower.Stretches.TryRead(out var stretch))
            {
                if (stretch.After > position)
                {
                    // A stretch was dropped while this reader was slow, or the fan-out started past it: read the gap first.
                    while (true)
                    {
                        threadId ??= await LogReader.FindThreadAsync(db, threadKey, ct);
                        if (threadId is not { } id || position >= stretch.After)
                        {
                            break;
                        }
                        var gap = await LogReader.ReadAsync(db, id, position, ct);
                        foreach (var item in gap.Items)
                        {
                            yield return item.Item;
                        }
                        position = gap.Through;
                        if (gap.Through == gap.After)
                        {
                            break;
                        }
                    }
                }
                foreach (var item in stretch.Items)
                {
                    if (item.Seq > position)
                    {
                        yield return item.Item;
                    }
                }
                position = Math.Max(position, stretch.Through);
                follower.Position = position;
                continue;
            }

            var wait = ends - clock.GetUtcNow();
            // Reading the log can take the stream past its end; a negative delay would throw instead of ending it.
            if (wait <= TimeSpan.Zero)
            {
                break;
            }
            using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var next = follower.Stretches.WaitToReadAsync(stopWaiting.Token).AsTask();
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
}
