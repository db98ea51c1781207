using System.Threading.Channels;
using Hearth.Storage;
using Microsoft.Extensions.Options;

namespace Hearth.Live;

/// <summary>
/// This node's live streams, by thread. When a thread moves, its log is read once here, rendered once, and the same
/// stretch handed to every stream on it: ten thousand readers of one thread cost one query per change, not ten thousand.
/// A stream that falls behind (a stretch dropped for a slow reader, or one that opened mid-way) sees a gap between where
/// it is and where the next stretch starts, and reads that gap from the log itself, so each event reaches it once and
/// in order. A thread is remembered only while a stream follows it.
/// One timer for the node, not one per stream, says when a stream that sent nothing for a while sends a keep-alive.
/// </summary>
public sealed class LiveFanOut : IDisposable
{
    /// <summary>Stretches waiting for one slow reader before the oldest is dropped (it then reads the gap from the log).</summary>
    const int Backlog = 32;

    /// <summary>Offered to a stream that sent nothing since the last tick: it sends a keep-alive (and sees whether it has ended).</summary>
    public static readonly LogStretch KeepAlive = new(-1, -1, [], false);

    readonly Dictionary<string, Feed> _feeds = new(StringComparer.Ordinal);
    readonly IServiceScopeFactory scopes;
    readonly ILogger<LiveFanOut> logger;
    readonly ITimer _tick;

    public LiveFanOut(IServiceScopeFactory scopes, TimeProvider clock, IOptions<LiveOptions> options, ILogger<LiveFanOut> logger)
    {
        this.scopes = scopes;
        this.logger = logger;
        var every = options.Value.KeepAlive;
        _tick = clock.CreateTimer(_ => Tick(), null, every, every);
    }

    public void Dispose() => _tick.Dispose();

    /// <summary>Every stream that sent nothing since the last tick is woken to send a keep-alive.</summary>
    void Tick()
    {
        List<Follower> quiet = [];
        lock (_feeds)
        {
            foreach (var feed in _feeds.Values)
            {
                foreach (var follower in feed.Followers)
                {
                    if (follower.TakeQuiet())
                    {
                        quiet.Add(follower);
                    }
                }
            }
        }
        foreach (var follower in quiet)
        {
            follower.Offer(KeepAlive);
        }
    }

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
                var mentions = scope.ServiceProvider.GetRequiredService<Conversations.MentionLinks>();
                LogStretch? stretch = threadId is { } id ? await LogReader.ReadAsync(db, mentions, id, after, CancellationToken.None) : null;
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
        int _sent;

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

        /// <summary>The stream sent something: no keep-alive is due at the next tick.</summary>
        public void Sent() => Volatile.Write(ref _sent, 1);

        /// <summary>Whether the stream sent nothing since the last tick; starts the next period.</summary>
        internal bool TakeQuiet() => Interlocked.Exchange(ref _sent, 0) == 0;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _owner.Leave(_feed, this);
            }
        }
    }
}
