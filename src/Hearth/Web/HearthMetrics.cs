using System.Diagnostics.Metrics;
using Hearth.Mail;
using Hearth.Storage;

namespace Hearth.Web;

/// <summary>
/// Hearth's own measurements, on a meter named "Hearth" (exported at /metrics). Requests and connections come from
/// ASP.NET Core's and Kestrel's own meters.
/// </summary>
public sealed class HearthMetrics
{
    public const string MeterName = "Hearth";

    readonly Counter<long> _commentsPosted;
    readonly Counter<long> _cacheHits;
    readonly Counter<long> _cacheMisses;
    readonly UpDownCounter<long> _liveConnections;

    public HearthMetrics(IMeterFactory meters, IServiceScopeFactory scopes, GroupCommit commits)
    {
        var meter = meters.Create(MeterName);
        _commentsPosted = meter.CreateCounter<long>("hearth.comments.posted", "{comment}", "Comments and replies accepted (published or held for moderation)");
        _cacheHits = meter.CreateCounter<long>("hearth.thread_cache.hits", "{page}", "Thread pages served from this node's memory");
        _cacheMisses = meter.CreateCounter<long>("hearth.thread_cache.misses", "{page}", "Thread pages built from the database");
        _liveConnections = meter.CreateUpDownCounter<long>("hearth.live.connections", "{connection}", "Live event streams open on this node");
        // Posts waiting for the database, and the transactions that stored them: writes over batches is the mean batch.
        meter.CreateObservableGauge("hearth.writes.waiting", () => commits.Waiting, "{write}", "Posts queued for the database on this node");
        meter.CreateObservableCounter("hearth.writes.committed", () => commits.Committed.Writes, "{write}", "Posts stored by this node's batched transactions");
        meter.CreateObservableCounter("hearth.write_batches.committed", () => commits.Committed.Batches, "{transaction}", "Batched transactions this node committed");
        // Read at each scrape: the queues are the instance's, in the database, so every node reports the same lengths.
        meter.CreateObservableGauge("hearth.mail.queue.length", () => FromDatabase(scopes, db => [new Measurement<long>(MailQueue.Length(db))]),
            "{message}", "E-mails waiting to be accepted by the mail server");
        meter.CreateObservableGauge("hearth.handout.backlog", () => FromDatabase(scopes, db => Notifications.HandOutBacklog.Read(db)
                .Select(h => new Measurement<long>(h.Behind, new KeyValuePair<string, object?>("work", h.Work)))),
            "{entry}", "Thread log entries not yet handed out to followers and guests, by hand-out");
    }

    /// <summary>How long a scrape waits for a gauge read from the database.</summary>
    static readonly TimeSpan DatabaseGaugeWait = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A gauge read from the database, or none when the database does not answer within a moment: while it is away,
    /// /metrics still answers at once with everything else (the outage shows there as the gauges' absence, and on
    /// /healthz), instead of waiting out a connection timeout per gauge.
    /// </summary>
    static IEnumerable<Measurement<long>> FromDatabase(IServiceScopeFactory scopes, Func<HearthDb, IEnumerable<Measurement<long>>> read)
    {
        var reading = Task.Run(() =>
        {
            using var scope = scopes.CreateScope();
            return read(scope.ServiceProvider.GetRequiredService<HearthDb>()).ToList();
        });
        // A read given up on may still fail later: its failure is seen here, not left unobserved.
        _ = reading.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        try
        {
            return reading.Wait(DatabaseGaugeWait) ? reading.Result : [];
        }
        catch (AggregateException)
        {
            return [];
        }
    }

    public void CommentPosted() => _commentsPosted.Add(1);
    public void CacheHit() => _cacheHits.Add(1);
    public void CacheMiss() => _cacheMisses.Add(1);

    /// <summary>Counts a live stream as open until the result is disposed.</summary>
    public IDisposable LiveOpened()
    {
        _liveConnections.Add(1);
        return new LiveClosing(_liveConnections);
    }

    sealed class LiveClosing(UpDownCounter<long> connections) : IDisposable
    {
        int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                connections.Add(-1);
            }
        }
    }
}
