using StackExchange.Redis;

namespace Hearth.Web;

/// <summary>
/// Subscribing to a Redis channel when a node starts. Redis may be down then (the node serves without it, and subscribes
/// when the client library says the link is restored), or up but slow to answer a node that is itself busy starting: the
/// first try then fails, and a link that was only late, never lost, is not "restored". So a failed try is repeated every
/// second for a minute before the node leaves it to the restored link.
/// </summary>
public static class RedisSubscribing
{
    static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);
    const int Tries = 60;

    /// <summary>True once subscribed; false when every try failed (the first failure is reported to <paramref name="failed"/>).</summary>
    public static async Task<bool> SubscribeAsync(ISubscriber subscriber, RedisChannel channel, Action<RedisChannel, RedisValue> handler,
        Action<Exception> failed)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await subscriber.SubscribeAsync(channel, handler);
                return true;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                if (attempt == 1)
                {
                    failed(e);
                }
                if (attempt == Tries)
                {
                    return false;
                }
            }
            catch (ObjectDisposedException)
            {
                // The node stopped meanwhile.
                return false;
            }
            // Real time, not the node's clock: this waits on the network.
            await Task.Delay(Pause);
        }
    }
}
