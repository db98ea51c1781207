using System.Collections.Concurrent;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Analytics;

/// <summary>
/// Counts the widget's page views in memory and adds them to the database every few seconds (and before a report
/// reads them), so that a page view costs a reader an addition, never a write. Each count is an increment in the
/// database, so nodes add up without knowing of each other; a node that dies loses at most its last few seconds.
/// The same reader opening the same page again within half an hour counts once, as far as this node remembers.
/// </summary>
public sealed class ViewCounter(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ViewCounter> logger)
{
    /// <summary>The row of a site's views of all its pages on a day.</summary>
    public const string AllPages = "";

    /// <summary>Pages and days waiting to be written: past this, views of further pages wait for the next write.</summary>
    public const int MaxPending = 20_000;

    const int MaxRemembered = 100_000;
    static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(30);

    readonly ConcurrentDictionary<(long Site, string Page, DateOnly Day), long> _views = new();
    readonly ConcurrentDictionary<(long Site, string Origin), DateTime> _origins = new();
    ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);
    DateTime _seenSince;
    readonly SemaphoreSlim _flushing = new(1, 1);

    // How many readers and pages _seen holds: ConcurrentDictionary.Count takes every one of its locks, too dear for each
    // page view.
    int _remembered;

    /// <param name="threadKey">The page's thread, when it has one; null counts the view for the site's total only.</param>
    public void Count(long siteId, string? threadKey, string? origin, string reader)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var page = threadKey is null ? AllPages : PageView.Hash(threadKey);
        if (now - _seenSince > RememberFor || Volatile.Read(ref _remembered) >= MaxRemembered)
        {
            // Forgetting everyone at once keeps memory bounded; the worst it does is count a reader twice.
            _seen = new(StringComparer.Ordinal);
            _seenSince = now;
            Volatile.Write(ref _remembered, 0);
        }
        if (!_seen.TryAdd($"{reader}|{siteId}|{page}", 0))
        {
            return;
        }
        Interlocked.Increment(ref _remembered);
        var day = DateOnly.FromDateTime(now);
        // The pending count only for a page and day not already waiting: the common view takes no lock but its own.
        if (!_views.ContainsKey((siteId, page, day)) && _views.Count >= MaxPending)
        {
            return;
        }
        if (page != AllPages)
        {
            _views.AddOrUpdate((siteId, page, day), 1, (_, n) => n + 1);
        }
        _views.AddOrUpdate((siteId, AllPages, day), 1, (_, n) => n + 1);
        if (origin is not null && (_origins.ContainsKey((siteId, origin)) || _origins.Count < MaxPending))
        {
            _origins[(siteId, origin)] = now;
        }
    }

    /// <summary>
    /// Adds what this node counted to the database. Whoever asks only waits for it: the write itself is never cut short
    /// by a caller going away, and counts it could not write (the database away) wait for the next try. True when
    /// everything waiting was written.
    /// </summary>
    public async Task<bool> FlushAsync(CancellationToken ct)
    {
        await _flushing.WaitAsync(ct);
        var views = Take(_views);
        var origins = Take(_origins);
        try
        {
            if (views.Count == 0 && origins.Count == 0)
            {
                return true;
            }
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
            foreach (var ((site, page, day), count) in views)
            {
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "PageViews" ("SiteId", "ThreadKeyHash", "Day", "Views")
                    SELECT {site}, {page}, {day}, {count} WHERE EXISTS (SELECT 1 FROM "Sites" WHERE "Id" = {site})
                    ON CONFLICT ("SiteId", "ThreadKeyHash", "Day") DO UPDATE SET "Views" = "PageViews"."Views" + "excluded"."Views"
                    """, CancellationToken.None);
            }
            foreach (var ((site, origin), seen) in origins)
            {
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "WidgetOrigins" ("SiteId", "Origin", "LastSeenAt")
                    SELECT {site}, {origin}, {seen} WHERE EXISTS (SELECT 1 FROM "Sites" WHERE "Id" = {site})
                    ON CONFLICT ("SiteId", "Origin") DO UPDATE SET "LastSeenAt" = "excluded"."LastSeenAt"
                    WHERE "excluded"."LastSeenAt" > "WidgetOrigins"."LastSeenAt"
                    """, CancellationToken.None);
            }
            await transaction.CommitAsync(CancellationToken.None);
            return true;
        }
        catch (Exception e)
        {
            // The database away (a removed site's rows are skipped by the statements): the counts wait for the next try.
            logger.LogWarning(e, "Could not store {Pages} page-view counts; trying again later", views.Count);
            foreach (var (key, count) in views)
            {
                _views.AddOrUpdate(key, count, (_, n) => n + count);
            }
            foreach (var (key, seen) in origins)
            {
                _origins.AddOrUpdate(key, seen, (_, known) => known > seen ? known : seen);
            }
            return false;
        }
        finally
        {
            _flushing.Release();
        }
    }

    static List<KeyValuePair<TKey, TValue>> Take<TKey, TValue>(ConcurrentDictionary<TKey, TValue> pending) where TKey : notnull
    {
        var taken = new List<KeyValuePair<TKey, TValue>>();
        foreach (var key in pending.Keys)
        {
            if (pending.TryRemove(key, out var value))
            {
                taken.Add(new(key, value));
            }
        }
        return taken;
    }
}

/// <summary>Writes the node's page views every ten seconds, and once more when the node stops.</summary>
sealed class ViewFlush(ViewCounter counter, ILogger<ViewFlush> logger) : BackgroundService
{
    static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushQuietlyAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushQuietlyAsync(cancellationToken);
    }

    async Task FlushQuietlyAsync(CancellationToken ct)
    {
        try
        {
            await counter.FlushAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogDebug(e, "Page views wait for the next write");
        }
    }
}
