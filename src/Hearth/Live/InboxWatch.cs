using System.Threading.Channels;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hearth.Live;

/// <summary>
/// This node's inbox streams, by person, and the one reader of new notifications for all of them.
/// </summary>
/// <remarks>
/// Why this shape. Notifications are written in many places and on any node: a reply, mention or welcome in the post's
/// own transaction, a held reply by the moderator's decision, a followed conversation's comment by the background
/// hand-out, which moves no thread at that moment. Rather than have every writer say whom it told, each node reads the
/// notifications table after its own high-water mark, by primary key, and hands each new row to the streams of the
/// person it is for. That is one query per node however many people it streams to, reading only the rows written
/// since the last one; it runs when the change bus says a thread moved (so a reply or mention written on any node
/// arrives at once), every <see cref="LiveOptions.CheckEvery"/> anyway (for the hand-out, approvals and messages lost
/// on the way), one at a time, and never on a node with no inbox stream open. Streams make no query of their own. A
/// poll of the unread count by every open page would instead cost a query per page every few seconds, whatever
/// happened.
/// </remarks>
public sealed class InboxWatch : BackgroundService
{
    /// <summary>Rows read per query, and queries per check before the rest waits for the next one.</summary>
    const int Batch = 1_000;
    const int RoundsPerCheck = 20;

    /// <summary>
    /// On PostgreSQL an id is taken when the insert runs and seen when its transaction commits, so a row can appear below
    /// the mark: the periodic check reads this many ids below it again. SQLite writes one transaction at a time, so
    /// what is visible there is always everything up to the last id.
    /// </summary>
    const long LookBack = 2_000;

    readonly IServiceScopeFactory _scopes;
    readonly TimeProvider _clock;
    readonly LiveOptions _options;
    readonly ILogger<InboxWatch> _logger;
    readonly object _gate = new();
    readonly Dictionary<long, List<Watcher>> _people = [];
    /// <summary>Ids already handed to someone, within the look-back, so a row read again is not handed out twice.</summary>
    readonly HashSet<long> _handed = [];
    readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    /// <summary>The last notification id read; -1 while no stream is open (nothing is read then, and it is set afresh).</summary>
    long _mark = -1;
    int _streams;
    /// <summary>Streams of notifications (not of a team inbox): only they make this node read the notifications table.</summary>
    int _personal;
    /// <summary>The team streams open here, by the sites they watch, and how many there are.</summary>
    readonly Dictionary<long, List<Watcher>> _teams = [];
    int _teamStreams;
    int _lookBackDue;

    public InboxWatch(IServiceScopeFactory scopes, TimeProvider clock, IOptions<LiveOptions> options, ILogger<InboxWatch> logger)
    {
        (_scopes, _clock, _options, _logger) = (scopes, clock, options.Value, logger);
    }

    /// <summary>Inbox streams open on this node.</summary>
    internal int Streams => Volatile.Read(ref _streams);

    /// <summary>
    /// A stream for the person (of one site's part of the inbox, or all of it); null when they hold as many of that part
    /// as allowed here. Counted per part: a site's scripts can use the person's token for that site, and must not use
    /// up the streams of the person's other sites or of their inbox page.
    /// </summary>
    public Watcher? Join(long userId, long? siteId) => Add(userId, siteId, teamSites: null);

    /// <summary>
    /// A stream of the team inbox: woken whenever a thread of one of <paramref name="sites"/> moves, on any node (the
    /// change bus says which site), with no query of its own. Null when the person holds as many as allowed here.
    /// </summary>
    public Watcher? JoinTeam(long userId, IReadOnlyCollection<long> sites)
    {
        var watcher = Add(userId, siteId: null, teamSites: [.. sites]);
        if (watcher is not null)
        {
            lock (_gate)
            {
                foreach (var site in watcher.TeamSites!)
                {
                    if (!_teams.TryGetValue(site, out var watching))
                    {
                        _teams[site] = watching = [];
                    }
                    watching.Add(watcher);
                }
            }
        }
        return watcher;
    }

    Watcher? Add(long userId, long? siteId, HashSet<long>? teamSites)
    {
        lock (_gate)
        {
            var team = teamSites is not null;
            if (_people.TryGetValue(userId, out var theirs)
                && theirs.Count(w => w.SiteId == siteId && (w.TeamSites is not null) == team) >= _options.InboxStreamsPerPerson)
            {
                return null;
            }
            if (theirs is null)
            {
                _people[userId] = theirs = [];
            }
            var watcher = new Watcher(this, userId, siteId, _clock.GetUtcNow()) { TeamSites = teamSites };
            theirs.Add(watcher);
            _streams++;
            if (team)
            {
                _teamStreams++;
            }
            else
            {
                _personal++;
            }
            return watcher;
        }
    }

    /// <summary>A thread moved: the team streams of its site look again.</summary>
    public void Moved(string threadKey)
    {
        // Every move on every node comes here: without a team stream open, not even the lock is taken.
        if (Volatile.Read(ref _teamStreams) == 0 || Conversations.ThreadPageCache.SiteOf(threadKey) is not { } site)
        {
            return;
        }
        lock (_gate)
        {
            if (_teams.TryGetValue(site, out var watching))
            {
                foreach (var watcher in watching)
                {
                    watcher.Offer(site);
                }
            }
        }
    }

    /// <summary>The bus was away: every team stream looks again, for whatever moved meanwhile.</summary>
    public void MovedAnywhere()
    {
        lock (_gate)
        {
            foreach (var (site, watching) in _teams)
            {
                foreach (var watcher in watching)
                {
                    watcher.Offer(site);
                }
            }
        }
    }

    /// <summary>
    /// Makes sure this node reads from a place no later than now: a stream that has joined hears of every notification
    /// committed after this returns.
    /// </summary>
    public async Task PlaceAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            if (_mark >= 0)
            {
                return;
            }
        }
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var last = await db.Notifications.MaxAsync(n => (long?)n.Id, ct) ?? 0;
        lock (_gate)
        {
            if (_mark < 0 && _personal > 0)
            {
                _mark = last;
            }
        }
    }

    /// <summary>Something changed somewhere (a thread moved, the bus came back): read what is new, unless nobody here listens.</summary>
    public void Wake()
    {
        if (Volatile.Read(ref _personal) > 0)
        {
            _wake.Writer.TryWrite(true);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = _options.CheckEvery;
        using var timer = _clock.CreateTimer(_ => Tick(), null, every, every);
        while (await _wake.Reader.WaitToReadAsync(stoppingToken))
        {
            _wake.Reader.TryRead(out _);
            try
            {
                await CheckAsync(Interlocked.Exchange(ref _lookBackDue, 0) == 1, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Nothing is lost: the mark did not move, and the next wake or tick reads again.
                _logger.LogWarning(e, "Reading new notifications for inbox streams failed.");
            }
        }
    }

    /// <summary>The periodic check, and the keep-alive of every stream that has been quiet for a while.</summary>
    void Tick()
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            foreach (var theirs in _people.Values)
            {
                foreach (var watcher in theirs)
                {
                    if (now - watcher.LastSent >= _options.KeepAlive)
                    {
                        watcher.Offer(Watcher.KeepAlive);
                    }
                }
            }
        }
        Interlocked.Exchange(ref _lookBackDue, 1);
        Wake();
    }

    async Task CheckAsync(bool lookBack, CancellationToken ct)
    {
        long from;
        lock (_gate)
        {
            if (_personal == 0 || _mark < 0)
            {
                return;
            }
            from = _mark;
        }
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        if (lookBack && db.Database.IsNpgsql())
        {
            from = Math.Max(0, from - LookBack);
        }
        for (var round = 0; round < RoundsPerCheck; round++)
        {
            var rows = await db.Notifications.AsNoTracking().Where(n => n.Id > from).OrderBy(n => n.Id)
                .Select(n => new { n.Id, n.UserId, n.SiteId }).Take(Batch).ToListAsync(ct);
            lock (_gate)
            {
                foreach (var row in rows)
                {
                    if (_people.TryGetValue(row.UserId, out var theirs) && theirs.Any(w => w.TeamSites is null) && _handed.Add(row.Id))
                    {
                        foreach (var watcher in theirs)
                        {
                            // A site's stream hears of that site's part of the inbox only, as its API reads it.
                            if (watcher.TeamSites is null && (watcher.SiteId is null || watcher.SiteId == row.SiteId))
                            {
                                watcher.Offer(row.Id);
                            }
                        }
                    }
                }
                if (rows.Count > 0 && _mark >= 0)
                {
                    _mark = Math.Max(_mark, rows[^1].Id);
                    var below = _mark - LookBack;
                    _handed.RemoveWhere(id => id <= below);
                }
            }
            if (rows.Count < Batch)
            {
                return;
            }
            from = rows[^1].Id;
        }
        // Far behind (a large hand-out): the rest at the next turn, not all in one.
        Wake();
    }

    void Leave(Watcher watcher)
    {
        lock (_gate)
        {
            if (_people.TryGetValue(watcher.UserId, out var theirs) && theirs.Remove(watcher))
            {
                _streams--;
                if (theirs.Count == 0)
                {
                    _people.Remove(watcher.UserId);
                }
                if (watcher.TeamSites is not null)
                {
                    _teamStreams--;
                }
                foreach (var site in watcher.TeamSites ?? [])
                {
                    if (_teams.TryGetValue(site, out var watching) && watching.Remove(watcher) && watching.Count == 0)
                    {
                        _teams.Remove(site);
                    }
                }
                if (watcher.TeamSites is null && --_personal == 0)
                {
                    // Nobody listens: nothing is read until someone does, from where the log is then.
                    _mark = -1;
                    _handed.Clear();
                }
            }
        }
    }

    /// <summary>One stream's place: the ids of new notifications for it, or a keep-alive, waiting to be sent.</summary>
    public sealed class Watcher : IDisposable
    {
        public const long KeepAlive = 0;

        readonly InboxWatch _owner;
        // Each signal only says "look again", so a slow stream loses nothing when the oldest is dropped.
        readonly Channel<long> _signals = Channel.CreateBounded<long>(
            new BoundedChannelOptions(4) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        long _lastSent;
        int _disposed;

        internal Watcher(InboxWatch owner, long userId, long? siteId, DateTimeOffset now)
        {
            (_owner, UserId, SiteId) = (owner, userId, siteId);
            _lastSent = now.UtcTicks;
        }

        public long UserId { get; }
        public long? SiteId { get; }

        /// <summary>For a team inbox's stream, the sites it watches; null for a stream of notifications.</summary>
        public HashSet<long>? TeamSites { get; init; }

        public ChannelReader<long> Signals => _signals.Reader;

        internal DateTimeOffset LastSent => new(Volatile.Read(ref _lastSent), TimeSpan.Zero);

        internal void Offer(long id) => _signals.Writer.TryWrite(id);

        public void Sent(DateTimeOffset now) => Volatile.Write(ref _lastSent, now.UtcTicks);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _owner.Leave(this);
            }
        }
    }
}
