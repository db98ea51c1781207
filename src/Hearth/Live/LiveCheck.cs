using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hearth.Live;

/// <summary>
/// With several nodes, a message of the change bus can be lost (a node's link to Redis drops while another writes). Every
/// few seconds this node compares, in one query, where the logs of the threads it follows or caches end with how far it
/// has read them, and treats each difference as a message. Nothing else depends on it: it only bounds the delay.
/// </summary>
public sealed class LiveCheck(IServiceScopeFactory scopes, IChangeBus bus, LiveFanOut fanOut, ThreadPageCache cache, TimeProvider clock,
    IOptions<LiveOptions> options, ILogger<LiveCheck> logger) : BackgroundService
{
    const int MaxThreadsPerQuery = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // In memory no message is lost.
        if (bus is InProcessChangeBus)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Value.CheckEvery, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Checking the followed threads' logs failed; trying again at the next tick.");
            }
        }
    }

    internal async Task CheckAsync(CancellationToken ct)
    {
        var followed = fanOut.Followed();
        var cached = cache.Cached();
        var known = new Dictionary<long, (string Key, long Seq)>();
        foreach (var (key, threadId, position) in followed)
        {
            if (threadId is { } id)
            {
                known[id] = (key, position);
            }
            else
            {
                // Not commented on when last looked: the first comment may have been missed.
                fanOut.Wake(new ThreadMoved(key, null, null));
            }
        }
        foreach (var (key, threadId, seq) in cached)
        {
            known[threadId] = known.TryGetValue(threadId, out var f) ? (key, Math.Min(f.Seq, seq)) : (key, seq);
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        foreach (var chunk in known.Keys.Chunk(MaxThreadsPerQuery))
        {
            var ends = await db.Threads.AsNoTracking().Where(t => chunk.Contains(t.Id)).Select(t => new { t.Id, t.EventSeq }).ToListAsync(ct);
            foreach (var end in ends)
            {
                var (key, seq) = known[end.Id];
                if (end.EventSeq > seq)
                {
                    cache.Invalidate(key);
                    fanOut.Wake(new ThreadMoved(key, end.Id, end.EventSeq));
                }
            }
        }
    }
}
