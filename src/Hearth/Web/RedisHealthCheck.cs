using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hearth.Web;

/// <summary>
/// Redis, when several nodes share it. Without it a node still serves (pages from the database, its own rate limits,
/// live events found by its periodic look at the log), so a node that cannot reach Redis is degraded, not down: a
/// load balancer keeps sending it readers while the operator is told.
/// </summary>
sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.Configured)
        {
            return HealthCheckResult.Healthy("Not configured: one node.");
        }
        try
        {
            var latency = await redis.Connection.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy($"Answered in {latency.TotalMilliseconds:0.#} ms.");
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            return HealthCheckResult.Degraded("Redis cannot be reached: this node serves alone until it can.");
        }
    }
}
