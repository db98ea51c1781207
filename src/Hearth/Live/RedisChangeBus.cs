using System.Globalization;
using Hearth.Web;
using StackExchange.Redis;

namespace Hearth.Live;

/// <summary>
/// Several nodes: a change is delivered here at once and published on Redis for the others. Pub/sub keeps nothing for a
/// node that is not listening, so while this node's subscription is down its cached pages are not served, and when it
/// comes back every stream reads its log and every page is built afresh (a periodic check covers a message lost on the
/// way: see <see cref="LiveCheck"/>).
/// </summary>
public sealed class RedisChangeBus : IChangeBus
{
    static readonly RedisChannel Channel = RedisChannel.Literal("hearth:threads");

    readonly NodeChanges _node;
    readonly ISubscriber _subscriber;
    readonly ILogger<RedisChangeBus> _logger;
    /// <summary>Tells this node's own messages apart when Redis sends them back.</summary>
    readonly string _nodeId = Guid.NewGuid().ToString("N");

    public RedisChangeBus(RedisConnection redis, NodeChanges node, ILogger<RedisChangeBus> logger)
    {
        _node = node;
        _logger = logger;
        var connection = redis.Connection;
        _subscriber = connection.GetSubscriber();
        connection.ConnectionFailed += (_, e) =>
        {
            _logger.LogWarning("Redis connection lost ({Type}, {Failure}): thread pages are read from the database until it returns.",
                e.ConnectionType, e.FailureType);
            _node.Lost();
        };
        connection.ConnectionRestored += (_, e) =>
        {
            _logger.LogInformation("Redis connection restored ({Type}): reading what changed meanwhile.", e.ConnectionType);
            _node.Restored();
        };
        _subscriber.Subscribe(Channel, (_, message) => Receive(message));
        if (!connection.IsConnected)
        {
            _node.Lost();
        }
    }

    public void Publish(ThreadMoved moved)
    {
        _node.Receive(moved);
        try
        {
            _subscriber.Publish(Channel, Encode(moved), CommandFlags.FireAndForget);
        }
        catch (RedisException e)
        {
            // The write is committed; the other nodes' periodic check finds it in the log.
            _logger.LogWarning(e, "Could not tell the other nodes that thread {Thread} changed.", moved.ThreadKey);
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
