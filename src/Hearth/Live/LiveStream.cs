using System.Buffers;
using System.IO.Pipelines;
using System.Net.ServerSentEvents;
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
/// <remarks>
/// A stream lives for minutes and mostly waits, ten thousand of them on a node: it holds no database context between
/// reads (a context is leased from the pool for each read of the log), no timer of its own (the fan-out's one tick says
/// when to send a keep-alive), and writes the bytes the fan-out rendered once, flushing once per stretch.
/// </remarks>
public sealed class LiveStream(IServiceScopeFactory scopes, LiveFanOut fanOut, TimeProvider clock, IOptions<LiveOptions> options,
    Web.HearthMetrics metrics)
{
    static readonly byte[] Ping = SseBytes.Encode(new SseItem<string>("", "ping"));

    public async Task WriteAsync(PipeWriter output, long siteId, ThreadAddress address, long? after, CancellationToken ct)
    {
        try
        {
            await RunAsync(output, siteId, address, after, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The reader left.
        }
    }

    async Task RunAsync(PipeWriter output, long siteId, ThreadAddress address, long? after, CancellationToken ct)
    {
        var settings = options.Value;
        var threadKey = ThreadPageCache.ThreadKey(siteId, address.Key);
        var ends = clock.GetUtcNow() + settings.MaxStreamDuration;
        using var open = metrics.LiveOpened();
        using var follower = fanOut.Follow(threadKey);
        long? threadId;
        long position;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
            threadId = await LogReader.FindThreadAsync(db, threadKey, ct);
            // Without a place the reader has just loaded the page: start from now. Fixed before "ready" is sent, so
            // whatever the reader does after hearing it is on the stream.
            position = after ?? (threadId is { } existing
                ? await db.Threads.Where(t => t.Id == existing).Select(t => t.EventSeq).FirstAsync(ct)
                : 0);
        }
        follower.Position = position;

        output.Write(SseBytes.Encode(new SseItem<string>("", "ready") { ReconnectionInterval = settings.Retry }));
        if (!await SendAsync(output, follower, ct))
        {
            return;
        }
        var behind = true;
        while (!ct.IsCancellationRequested && clock.GetUtcNow() < ends)
        {
            if (behind)
            {
                var read = await ReadLogAsync(threadKey, threadId, position, ct);
                threadId = read.ThreadId;
                if (read.Stretch is { } stretchRead)
                {
                    position = Write(output, stretchRead, position);
                    follower.Position = position;
                    behind = stretchRead.Full;
                    if (!await SendAsync(output, follower, ct))
                    {
                        return;
                    }
                    continue;
                }
                behind = false;
            }
            if (follower.Stretches.TryRead(out var stretch))
            {
                if (ReferenceEquals(stretch, LiveFanOut.KeepAlive))
                {
                    output.Write(Ping);
                }
                else
                {
                    // A stretch was dropped while this reader was slow, or the fan-out started past it: read the gap first.
                    while (stretch.After > position)
                    {
                        var gap = await ReadLogAsync(threadKey, threadId, position, ct);
                        threadId = gap.ThreadId;
                        if (gap.Stretch is not { } read)
                        {
                            break;
                        }
                        position = Write(output, read, position);
                        if (read.Through == read.After)
                        {
                            break;
                        }
                    }
                    position = Write(output, stretch, position);
                    follower.Position = position;
                }
                if (!await SendAsync(output, follower, ct))
                {
                    return;
                }
                continue;
            }
            // Woken by the next stretch, or by the fan-out's keep-alive tick, which also lets a stream past its end finish.
            if (!await follower.Stretches.WaitToReadAsync(ct))
            {
                return;
            }
        }
    }

    /// <summary>The stretch's events this stream has not sent yet; returns how far it has now sent.</summary>
    static long Write(PipeWriter output, LogStretch stretch, long position)
    {
        foreach (var frame in stretch.Frames)
        {
            if (frame.Seq > position)
            {
                output.Write(frame.Bytes);
            }
        }
        return Math.Max(position, stretch.Through);
    }

    /// <summary>Sends what was written; false once the reader has gone.</summary>
    static async ValueTask<bool> SendAsync(PipeWriter output, LiveFanOut.Follower follower, CancellationToken ct)
    {
        follower.Sent();
        var flushed = await output.FlushAsync(ct);
        return !flushed.IsCompleted && !flushed.IsCanceled;
    }

    /// <summary>A stretch of the log after a place, read with a context leased from the pool for this read alone.</summary>
    async Task<(long? ThreadId, LogStretch? Stretch)> ReadLogAsync(string threadKey, long? threadId, long after, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        threadId ??= await LogReader.FindThreadAsync(db, threadKey, ct);
        var mentions = scope.ServiceProvider.GetRequiredService<MentionLinks>();
        return threadId is { } id ? (id, await LogReader.ReadAsync(db, mentions, id, after, ct)) : (null, null);
    }
}
