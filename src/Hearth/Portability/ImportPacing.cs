using System.Diagnostics;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Portability;

/// <summary>
/// On SQLite an import run by the command and a server beside it share the database's one write lock, which SQLite hands
/// to no one in order: a writer that finds it taken sleeps and tries again, up to 100 ms apart, and an import that takes
/// its next turn a moment after its last leaves a waiting batch of posts a chance only by luck (posts beside a
/// 200,000-comment import got through at two thirds of their pace, some after seconds). While others are writing
/// (the conversations' log has grown between two of the import's turns, within the last seconds), each turn of the
/// import is followed by a pause as long as the turn, up to a little more than the longest of those sleeps: a writer
/// waiting behind a long turn then gets in before the next, and the import keeps a small page cache meanwhile (each of
/// those writes empties it; <see cref="ImportConnection.UseCacheAsync"/>). With no one else writing, the import never
/// pauses and keeps its large cache.
/// PostgreSQL locks rows, not the database, and queues its waiters: there it does nothing.
/// </summary>
sealed class ImportPacing(HearthDb db)
{
    /// <summary>A little more than SQLite's longest sleep between two tries of a writer that found the lock taken.</summary>
    static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(120);

    /// <summary>How long after others were last seen writing the import goes on leaving them room.</summary>
    static readonly TimeSpan Lately = TimeSpan.FromSeconds(10);

    readonly bool _shared = !db.Database.IsNpgsql();
    long? _logAfterLastTurn;
    long _othersSeenAt;
    long _turnStartedAt;

    /// <summary>Called once the turn holds the lock (or just before its one statement takes it).</summary>
    public async Task TurnStartsAsync(CancellationToken ct)
    {
        if (!_shared)
        {
            return;
        }
        _turnStartedAt = Stopwatch.GetTimestamp();
        if (await NewestEventAsync(ct) is var newest && _logAfterLastTurn is { } last && newest > last)
        {
            _othersSeenAt = _turnStartedAt;
        }
        if (OthersLately != _smallCache)
        {
            _smallCache = OthersLately;
            await ImportConnection.UseCacheAsync(db, _smallCache, ct);
        }
    }

    bool OthersLately => _othersSeenAt != 0 && Stopwatch.GetElapsedTime(_othersSeenAt) < Lately;

    bool _smallCache;

    /// <summary>Called once the turn has let the lock go: pauses while others are writing.</summary>
    public async Task TurnEndedAsync(CancellationToken ct)
    {
        if (!_shared)
        {
            return;
        }
        _logAfterLastTurn = await NewestEventAsync(ct);
        if (OthersLately)
        {
            var held = Stopwatch.GetElapsedTime(_turnStartedAt);
            await Task.Delay(held < LongestPause ? held : LongestPause, ct);
        }
    }

    /// <summary>The log's last entry: every post, edit and moderation decision adds one; the import adds none until its end.</summary>
    Task<long> NewestEventAsync(CancellationToken ct) =>
        db.Database.SqlQueryRaw<long>("""SELECT COALESCE(MAX("Id"), 0) AS "Value" FROM "ThreadEvents" """).SingleAsync(ct);
}
