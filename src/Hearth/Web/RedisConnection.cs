using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hearth.Web;

/// <summary>
/// The one connection to Redis a node keeps when Hearth:Redis (or HEARTH_REDIS) names one, shared by the change bus and
/// the rate limits. Without it the node is the instance's only one and keeps both in memory.
/// </summary>
public sealed class RedisConnection(IOptions<HearthOptions> options) : IDisposable
{
    readonly Lazy<ConnectionMultiplexer> _connection = new(() =>
    {
        var settings = ConfigurationOptions.Parse(options.Value.Redis!);
        // Start even when Redis is down, and keep trying: the node serves from the database meanwhile.
        settings.AbortOnConnectFail = false;
        settings.ReconnectRetryPolicy = new LinearRetry(500);
        // While Redis is away, commands fail at once instead of queueing: a write must not wait for it to come back.
        settings.BacklogPolicy = BacklogPolicy.FailFast;
        return ConnectionMultiplexer.Connect(settings);
    });

    public bool Configured => !string.IsNullOrWhiteSpace(options.Value.Redis);

    public IConnectionMultiplexer Connection => _connection.Value;

    public void Dispose()
    {
        if (_connection.IsValueCreated)
        {
            _connection.Value.Dispose();
        }
    }

    public static IServiceCollection AddRedisConnection(IServiceCollection services)
    {
        services.AddOptions<HearthOptions>().Configure<IConfiguration>((o, configuration) =>
        {
            // HEARTH_REDIS is the short form; an explicit Hearth:Redis wins over it.
            if (string.IsNullOrWhiteSpace(o.Redis) && configuration["HEARTH_REDIS"] is { Length: > 0 } redis)
            {
                o.Redis = redis;
            }
        });
        services.AddSingleton<RedisConnection>();
        return services;
    }
}
