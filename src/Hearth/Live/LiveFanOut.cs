using System.Threading.Channels;
using Hearth.Storage;

namespace Hearth.Live;

/// <summary>
/// This node's live streams, by thread. When a thread moves, its log is read once here, rendered once, and the same
/// stretch handed to every stream on it: ten thousand readers of one thread cost one query per change, not ten thousand.
/// A stream that falls behind (a stretch dropped for a slow reader, or one that opened mid-way) sees a gap between where
/// it is and where the next stretch starts, and reads that gap from the log itself, so each event reaches it once and
/// in order. A thread is remembered only while a stream follows it.
/// </summary>
public sealed class LiveFanOut(IServiceScopeFactory scopes, ILogger<LiveFanOut> logger)
{
    /// <summary>Stretches waiting for one slow reader before the oldest is dropped (it then reads the gap from the log).</summary>
    const int Backlog = 32;

    readonly Dictionary<string, Feed> _feeds = new(StringComparer.Ordinal);

    internal sealed class Feed(string key)
    {
        public readonly string Key = key;
        public readonly HashSet<Follower> Followers = [];
        public long? ThreadId;
        /// <summary>How far the log was read for this node's streams; -1 until first read.</summary>
        public long Position = -1;
        public bool Reading;
        public bool Again;
    }

    /// <summary>Threads followed by at least one open stream.</summary>
    internal int FollowedThreads
    {
        get
        {
            lock (_feeds)
            {
                return _feeds.Count;
            }
        }
    }

    /// <summary>The followed threads with how far their log was read here: what the periodic check compares.</summary>
    internal List<(string Key, long? ThreadId, long Position)> Followed()
    {
        lock (_feeds)
        {
            return [.. _feeds.Values.Select(f => (f.Key, f.ThreadId, f.Position))];
        }
    }

    /// <summary>A stream starts following a thread: before it reads the log, so nothing committed after that read is missed.</summary>
    public Follower Follow(string threadKey)
    {
        lock (_feeds)
        {
            if (!_feeds.TryGetValue(threadKey, out var feed))
            {
                _feeds[threadKey] = feed = new Feed(threadKey);
            }
            var follower = new Follower(this, feed);
            feed.Followers.Add(follower);
            return follower;
        }
    }

    /// <summary>A thread moved: read its log for the streams following it here, unless this node has read that far already.</summary>
    public void Wake(ThreadMoved moved)
    {
        Feed? feed;
        lock (_feeds)
        {
            if (!_feeds.TryGetValue(moved.ThreadKey, out feed) || (moved.Seq is { } seq && feed.Position >= seq))
            {
                return;
            }
            feed.ThreadId ??= moved.ThreadId;
            feed.Again = true;
            if (feed.Reading)
            {
                return;
            }
            feed.Reading = true;
        }
        _ = Task.Run(() => ReadAsync(feed));
    }

    /// <summary>Messages may have been lost: every followed thread reads its log to the end.</summary>
    public void WakeAll()
    {
        List<string> keys;
        lock (_feeds)
        {
            keys = [.. _feeds.Keys];
        }
        foreach (var key in keys)
        {
            Wake(new ThreadMoved(key, null, null));
        }
    }

    /// <summary>One reader of the log per thread at a time, until it has read everything it was woken for.</summary>
    async Task ReadAsync(Feed feed)
    {
        try
        {
            while (true)
            {
                long after;
                long? threadId;
                lock (_feeds)
                {
                    feed.Again = false;
                    if (feed.Followers.Count == 0)
                    {
                        feed.Reading = false;
                        return;
                    }
                    if (feed.Position < 0)
                    {
                        // The first read starts where the furthest-behind stream is. A stream not yet placed reads the log
                        // itself once placed, which sees this change too: with none placed there is nothing to do.
                        var placed = feed.Followers.Select(f => f.Position).Where(p => p >= 0).ToList();
                        if (placed.Count == 0)
                        {
                            feed.Reading = false;
                            return;
                        }
                        feed.Position = placed.Min();
                    }
                    after = feed.Position;
                    threadId = feed.ThreadId;
                }
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
                threadId ??= await LogReader.FindThreadAsync(db, feed.Key, CancellationToken.None);
                LogStretch? stretch = threadId is { } id ? await LogReader.ReadAsync(db, id, after, CancellationToken.None) : null;
                Follower[] followers;
                lock (_feeds)
                {
                    feed.ThreadId = threadId;
                    if (stretch is not null && stretch.Through > feed.Position)
                    {
                        feed.Position = stretch.Through;
                    }
                    followers = [.. feed.Followers];
                }
                if (stretch is { } read && read.Through > read.After)
                {
                    foreach (var follower in followers)
                    {
                        follower.Offer(read);
                    }
                }
                lock (_feeds)
                {
                    if (stretch is not { Full: true } && !feed.Again)
                    {
                        feed.Reading = false;
                        return;
                    }
                }
            }
        }
        catch (Exception e)
        {
            // The streams are not lost: the next change, or the periodic check, reads again.
            logger.LogWarning(e, "Reading the log of thread {Thread} for live streams failed.", feed.Key);
            lock (_feeds)
            {
                feed.Reading = false;
            }
        }
    }

    void Leave(Feed feed, Follower follower)
    {
        lock (_feeds)
        {
            if (feed.Followers.Remove(follower) && feed.Followers.Count == 0 && _feeds.TryGetValue(feed.Key, out var current) && current == feed)
            {
                _feeds.Remove(feed.Key);
            }
        }
    }

    /// <summary>One stream's place in the fan-out: the stretches read for it, and how far it has sent.</summary>
    public sealed class Follower : IDisposable
    {
        readonly LiveFanOut _owner;
        readonly Feed _feed;
        readonly Channel<LogStretch> _stretches = Channel.CreateBounded<LogStretch>(
            new BoundedChannelOptions(Backlog) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        long _position = -1;
        int _disposed;

        internal Follower(LiveFanOut owner, Feed feed)
        {
            _owner = owner;
            _feed = feed;
        }

        /// <summary>The last place this stream has sent (or starts after).</summary>
        public long Position
        {
            get => Volatile.Read(ref _position);
            set => Volatile.Write(ref _position, value);
        }

        public ChannelReader<LogStretch> Stretches => _stretches.Reader;

        internal void Offer(LogStretch stretch) => _stretches.Writer.TryWrite(stretch);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _owner.Leave(_feed, this);
            }
        }
    }
}
