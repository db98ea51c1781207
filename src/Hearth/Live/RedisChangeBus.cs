using System.Collections.Concurrent;
using System.Globalization;
using Hearth.Web;
using StackExchange.Redis;

namespace Hearth.Live;

/// <summary>
/// Several nodes: a change is delivered here at once and published on Redis for the others. With the message, Redis keeps
/// the thread's last place, set in the same script before the writer answers, so a node asked for a cached page can tell
/// it is behind an acknowledged write even while the message is still on its way. Pub/sub keeps nothing for a node that
/// is not listening: while this node's link is down its cached pages are not served, and when it comes back every stream
/// reads its log and every page is built afresh (a periodic check covers a message lost on the way: see
/// <see cref="LiveCheck"/>).
/// </summary>
public sealed class RedisChangeBus : IChangeBus
{
    static readonly RedisChannel Channel = RedisChannel.Literal("hearth:threads");

    readonly NodeChanges _node;
    readonly ISubscriber _subscriber;
    readonly IDatabase _database;
    readonly ILogger<RedisChangeBus> _logger;
    /// <summary>Tells this node's own messages apart when Redis sends them back.</summary>
    readonly string _nodeId = Guid.NewGuid().ToString("N");

    public RedisChangeBus(RedisConnection redis, NodeChanges node, ILogger<RedisChangeBus> logger)
    {
        _node = node;
        _logger = logger;
        var connection = redis.Connection;
        _subscriber = connection.GetSubscriber();
        _database = connection.GetDatabase();
        connection.ConnectionFailed += (_, e) =>
        {
            _logger.LogWarning("Redis connection lost ({Type}, {Failure}): thread pages are read from the database until it returns.",
                e.ConnectionType, e.FailureType);
            _node.Lost();
        };
        connection.ConnectionRestored += (_, e) =>
        {
            _logger.LogInformation("Redis connection restored ({Type}): reading what changed meanwhile.", e.ConnectionType);
            _ = SubscribeAsync();
            _node.Restored();
            if (e.ConnectionType == ConnectionType.Interactive)
            {
                _ = SayUnsaidAsync();
            }
        };
        if (!connection.IsConnected)
        {
            _node.Lost();
        }
        _ = SubscribeAsync();
    }

    int _subscribed;

    /// <summary>
    /// Listening starts without waiting for Redis: a node starts while Redis is down or slow, and subscribes when its link
    /// is up (after which the client library keeps the subscription across reconnections).
    /// </summary>
    async Task SubscribeAsync()
    {
        if (Interlocked.CompareExchange(ref _subscribed, 1, 0) != 0)
        {
            return;
        }
        if (!await RedisSubscribing.SubscribeAsync(_subscriber, Channel, (_, message) => Receive(message), e =>
                _logger.LogWarning("Could not subscribe to Redis yet ({Error}); trying again.", e.Message)))
        {
            Volatile.Write(ref _subscribed, 0);
        }
    }

    /// <summary>Keeps the highest place said for the thread (for a day: after that, messages and the periodic check suffice), then publishes.</summary>
    const string SetPlaceAndPublish = """
        local place = tonumber(ARGV[1])
        if place >= 0 then
          local known = tonumber(redis.call('GET', KEYS[1]) or '-1')
          if place > known then redis.call('SET', KEYS[1], place, 'EX', 86400) end
        end
        return redis.call('PUBLISH', ARGV[2], ARGV[3])
        """;

    static RedisKey PlaceKey(string threadKey) => "hearth:place:" + threadKey;

    public async Task PublishAsync(ThreadMoved moved)
    {
        _node.Receive(moved);
        try
        {
            await _database.ScriptEvaluateAsync(SetPlaceAndPublish, [PlaceKey(moved.ThreadKey)],
                [moved.Seq ?? -1, Channel.ToString(), Encode(moved)]);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The write is committed and this node's pages are not served while Redis is away. The change is said again
            // when this node's link comes back (the other nodes' periodic check would find it in the log meanwhile).
            _unsaid[moved.ThreadKey] = moved;
            _logger.LogWarning("Could not tell the other nodes that thread {Thread} changed ({Error}); telling them when Redis is back.",
                moved.ThreadKey, e.Message);
        }
    }

    /// <summary>Changes this node could not publish while Redis was away, latest per thread.</summary>
    readonly ConcurrentDictionary<string, ThreadMoved> _unsaid = new(StringComparer.Ordinal);

    async Task SayUnsaidAsync()
    {
        foreach (var key in _unsaid.Keys)
        {
            if (_unsaid.TryRemove(key, out var moved))
            {
                await PublishAsync(moved);
            }
        }
    }

    public async ValueTask<bool> IsCurrentAsync(string threadKey, long seq)
    {
        try
        {
            var known = await _database.StringGetAsync(PlaceKey(threadKey));
            return known.IsNull || (long)known <= seq;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Unknown is not current: the page is read from the database.
            return false;
        }
    }

    void Receive(RedisValue message)
    {
        if (Decode(message) is { } moved)
        {
            _node.Receive(moved);
        }
    }

    string Encode(ThreadMoved m) => string.Join(' ', _nodeId, Number(m.Seq), Number(m.ThreadId), m.ThreadKey);

    static string Number(long? n) => n is { } v ? v.ToString(CultureInfo.InvariantCulture) : "-";

    ThreadMoved? Decode(string? text)
    {
        var parts = text?.Split(' ', 4);
        if (parts is not { Length: 4 } || parts[0] == _nodeId)
        {
            return null;
        }
        return new ThreadMoved(parts[3], Parse(parts[2]), Parse(parts[1]));
    }

    static long? Parse(string text) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
