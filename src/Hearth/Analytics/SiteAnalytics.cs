using Hearth.Conversations;
using Hearth.People;
using Hearth.Sites;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Analytics;

/// <summary>
/// Works out a report from the comments themselves: one ordered read of the site's public comments from the start of
/// the range to 30 days after its end (the (site, status, created) index), one look-up of the people who first
/// commented in the range (the (site, first comment) index), and one of the comments the range's replies answer from
/// before it. Everything else is counted in one pass over what was read, so a report's cost follows the length of the
/// range, which <see cref="AnalyticsRange"/> bounds, never the age of the site.
/// </summary>
public sealed class SiteAnalytics(HearthDb db, TimeProvider clock, Microsoft.Extensions.Options.IOptions<HearthOptions> options, ViewCounter views)
{
    const int Top = 10;

    /// <summary>Reports worked out at once on a node; more wait their turn, so a burst of them cannot starve the node.</summary>
    static readonly SemaphoreSlim Running = new(2, 2);
    const int LookupBatch = 1000;

    public async Task<AnalyticsReport> ReportAsync(Site site, ReportThread? thread, AnalyticsRange range, CancellationToken ct)
    {
        await Running.WaitAsync(ct);
        try
        {
            return await WorkOutAsync(site, thread, range, ct);
        }
        finally
        {
            Running.Release();
        }
    }

    async Task<AnalyticsReport> WorkOutAsync(Site site, ReportThread? thread, AnalyticsRange range, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // This node's own recent views first, so that what it counted is in what it reads.
        await views.FlushAsync(ct);
        var page = thread is null ? ViewCounter.AllPages
            : PageView.Hash(await db.Threads.Where(t => t.Id == thread.Id).Select(t => t.Key).FirstAsync(ct));
        var read = await ReadAsync(site.Id, thread?.Id, range.Previous.Start, range.End.AddDays(AnalyticsRange.FollowUpDays), ct);
        var current = await CountAsync(site.Id, read, range, now, ct);
        var previous = await CountAsync(site.Id, read, range.Previous, now, ct);
        var viewed = await db.PageViews.AsNoTracking()
            .Where(v => v.SiteId == site.Id && v.ThreadKeyHash == page && v.Day >= range.From && v.Day <= range.To)
            .ToDictionaryAsync(v => v.Day, v => v.Views, ct);
        current.Days = [.. current.Days.Select(d => d with { Views = viewed.GetValueOrDefault(d.Date) })];
        var totalViews = viewed.Values.Sum();
        var totals = current.Totals with
        {
            Views = totalViews,
            Conversion = totalViews == 0 ? null : current.Totals.Commenters / (double)totalViews,
        };
        int? unanswered = thread is null
            ? (await Newcomers.ListAsync(db, site.Id, options.Value.Trust, now, ct)).Count
            : null;
        var belonging = current.Belonging;
        var index = belonging.Index;
        var before = previous.Belonging.Index;
        var topThreads = await TopThreadsAsync(site.Id, range, current, ct);
        var topPeople = await TopPeopleAsync(site.Id, current, ct);
        return new AnalyticsReport(site.Name, thread, range.From, range.To, totals with { UnansweredNewcomers = unanswered },
            current.Days, Weeks(current.Days), current.Retention, current.Depths,
            belonging with { PreviousFrom = range.Previous.From, PreviousTo = range.Previous.To, PreviousIndex = before, Change = index - before },
            topThreads, topPeople);
    }

    /// <summary>A comment as the counting needs it: who, where, when, and whom it answers.</summary>
    record struct Said(long Id, long ThreadId, long? Answers, int Depth, int Person, bool ByTeam, DateTime At);

    sealed class Counted
    {
        public required ReportTotals Totals;
        public required List<DayCount> Days;
        public required List<RetentionCohort> Retention;
        public required List<DepthCount> Depths;
        public required ReportBelonging Belonging;
        public required List<(long ThreadId, int Comments, int People, bool Conversation)> Threads;
        public required List<(string Key, int Comments, int Given, int Received, bool New)> People;
    }

    /// <summary>
    /// What the counting of both ranges reads, once: the public comments from the start of the range before to 30 days
    /// after the end of this one, in order, and the authors of the older comments their replies answer.
    /// </summary>
    sealed class Read
    {
        public required List<Said> Said;
        public required Dictionary<long, int> ById;
        public required List<string> Keys;
        public required Dictionary<long, (int Person, bool ByTeam)> Earlier;
    }

    async Task<Read> ReadAsync(long siteId, long? threadId, DateTime from, DateTime to, CancellationToken ct)
    {
        var team = (await db.SiteMembers.AsNoTracking().Where(m => m.SiteId == siteId && m.Role != null).Select(m => m.UserId).ToListAsync(ct)).ToHashSet();
        var mergedInto = await MergesAsync(siteId, ct);
        var people = new Dictionary<string, int>(StringComparer.Ordinal);
        var keys = new List<string>();
        int PersonOf(string key)
        {
            key = mergedInto.GetValueOrDefault(key, key);
            if (!people.TryGetValue(key, out var index))
            {
                index = keys.Count;
                people[key] = index;
                keys.Add(key);
            }
            return index;
        }

        var said = new List<Said>();
        var byId = new Dictionary<long, int>();
        var query = db.Comments.AsNoTracking()
            .Where(c => c.SiteId == siteId && c.Status == CommentStatus.Published && c.CreatedAt >= from && c.CreatedAt < to);
        if (threadId is { } only)
        {
            query = query.Where(c => c.ThreadId == only);
        }
        await foreach (var c in query.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)
            .Select(c => new { c.Id, c.ThreadId, Answers = c.ReplyToId ?? c.ParentId, c.Depth, c.Author.Key, c.Author.UserId, c.CreatedAt })
            .AsAsyncEnumerable().WithCancellation(ct))
        {
            byId[c.Id] = said.Count;
            said.Add(new Said(c.Id, c.ThreadId, c.Answers, c.Depth, PersonOf(c.Key), c.UserId is { } u && team.Contains(u),
                DateTime.SpecifyKind(c.CreatedAt, DateTimeKind.Utc)));
        }

        // Whom replies answer when that comment is older than the read: looked up by key, the ids written into the
        // statement (a list of parameters this long costs more to bind than to run). By the key alone: a reply's comment
        // is in its thread, so in its site, and with the site in the condition SQLite walked the site's comments instead.
        var older = said.Where(s => s.Answers is { } a && !byId.ContainsKey(a)).Select(s => s.Answers!.Value).Distinct().ToList();
        var earlier = new Dictionary<long, (int Person, bool ByTeam)>();
        foreach (var batch in older.Chunk(LookupBatch))
        {
            var found = await db.Comments.AsNoTracking().Where(c => EF.Constant(batch).Contains(c.Id))
                .Select(c => new { c.Id, c.Author.Key, c.Author.UserId }).ToListAsync(ct);
            foreach (var f in found)
            {
                earlier[f.Id] = (PersonOf(f.Key), f.UserId is { } u && team.Contains(u));
            }
        }
        return new Read { Said = said, ById = byId, Keys = keys, Earlier = earlier };
    }

    /// <summary>The first comment written at or after a time: the read is in the order of writing.</summary>
    static int FirstAtOrAfter(List<Said> said, DateTime at)
    {
        int lo = 0, hi = said.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (said[mid].At < at)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    async Task<Counted> CountAsync(long siteId, Read read, AnalyticsRange range, DateTime now, CancellationToken ct)
    {
        var start = range.Start;
        var end = range.End;
        var followUp = TimeSpan.FromDays(AnalyticsRange.FollowUpDays);
        var firstAt = await db.People.AsNoTracking()
            .Where(p => p.SiteId == siteId && p.MergedIntoId == null && p.FirstCommentAt >= start && p.FirstCommentAt < end)
            .Select(p => new { p.Key, p.FirstCommentAt }).ToDictionaryAsync(p => p.Key, p => p.FirstCommentAt!.Value, ct);

        var said = read.Said;
        var byId = read.ById;
        var keys = read.Keys;
        var earlierAuthors = read.Earlier;
        // This range's stretch of the read: [first, inRange) written in it, [inRange, last) in the 30 days after.
        var first = FirstAtOrAfter(said, start);
        var inRange = FirstAtOrAfter(said, end);
        var last = FirstAtOrAfter(said, end + followUp);

        var firstReply = new DateTime?[inRange - first];
        var firstTeamReply = new DateTime?[inRange - first];
        var gave = new HashSet<int>();
        var received = new HashSet<int>();
        var pairs = new HashSet<(long Thread, int From, int To)>();
        var conversations = new HashSet<long>();
        var repliesInRange = 0;
        for (var i = first; i < last; i++)
        {
            var reply = said[i];
            if (reply.Answers is not { } answers)
            {
                continue;
            }
            int answeredPerson;
            bool answeredTeam;
            if (byId.TryGetValue(answers, out var j))
            {
                var answered = said[j];
                answeredPerson = answered.Person;
                answeredTeam = answered.ByTeam;
                if (j >= first && j < inRange && reply.Person != answered.Person && reply.At - answered.At <= followUp)
                {
                    firstReply[j - first] ??= reply.At;
                    if (reply.ByTeam)
                    {
                        firstTeamReply[j - first] ??= reply.At;
                    }
                }
            }
            else if (earlierAuthors.TryGetValue(answers, out var author))
            {
                (answeredPerson, answeredTeam) = author;
            }
            else
            {
                continue;
            }
            if (i >= inRange || reply.Person == answeredPerson)
            {
                continue;
            }
            repliesInRange++;
            if (!reply.ByTeam && !answeredTeam)
            {
                gave.Add(reply.Person);
                received.Add(answeredPerson);
            }
            pairs.Add((reply.ThreadId, reply.Person, answeredPerson));
            if (pairs.Contains((reply.ThreadId, answeredPerson, reply.Person)))
            {
                conversations.Add(reply.ThreadId);
            }
        }

        var days = new DayCount[range.Days];
        for (var d = 0; d < days.Length; d++)
        {
            days[d] = new DayCount(range.From.AddDays(d), 0, 0, 0, 0);
        }
        var depths = new int[7];
        var threads = new Dictionary<long, (int Comments, HashSet<int> People)>();
        var perPerson = new Dictionary<int, (int Comments, int Given, int Received)>();
        var seen = new HashSet<int>();
        var outsideTeam = new HashSet<int>();
        var teamPeople = new HashSet<int>();
        var firstSaid = new Dictionary<int, int>();
        var cameBack = new HashSet<int>();
        int answeredCount = 0, othersCount = 0, teamAnsweredCount = 0, newcomerComments = 0;
        var waits = new List<double>();
        var teamWaits = new List<double>();
        for (var i = first; i < last; i++)
        {
            var s = said[i];
            var key = keys[s.Person];
            if (firstAt.TryGetValue(key, out var firstComment) && s.At.Date > firstComment.Date && s.At <= firstComment + followUp && seen.Contains(s.Person))
            {
                cameBack.Add(s.Person);
            }
            if (i >= inRange)
            {
                continue;
            }
            seen.Add(s.Person);
            if (s.ByTeam)
            {
                teamPeople.Add(s.Person);
            }
            else
            {
                outsideTeam.Add(s.Person);
            }
            var isNew = firstAt.TryGetValue(key, out firstComment) && s.At.Date == firstComment.Date;
            var day = DateOnly.FromDateTime(s.At).DayNumber - range.From.DayNumber;
            var counted = days[day];
            days[day] = isNew
                ? counted with { Comments = counted.Comments + 1, Newcomers = counted.Newcomers + 1 }
                : counted with { Comments = counted.Comments + 1, Returning = counted.Returning + 1 };
            newcomerComments += isNew ? 1 : 0;
            if (firstAt.ContainsKey(key))
            {
                firstSaid.TryAdd(s.Person, i);
            }
            depths[Math.Min(s.Depth, depths.Length - 1)]++;
            if (!threads.TryGetValue(s.ThreadId, out var thread))
            {
                thread = (0, []);
            }
            thread.People.Add(s.Person);
            threads[s.ThreadId] = (thread.Comments + 1, thread.People);
            var mine = perPerson.GetValueOrDefault(s.Person);
            perPerson[s.Person] = mine with { Comments = mine.Comments + 1 };
            if (firstReply[i - first] is { } replied)
            {
                answeredCount++;
                waits.Add((replied - s.At).TotalMinutes);
            }
            if (!s.ByTeam)
            {
                othersCount++;
                if (firstTeamReply[i - first] is { } teamReplied)
                {
                    teamAnsweredCount++;
                    teamWaits.Add((teamReplied - s.At).TotalMinutes);
                }
            }
        }
        // Replies given and received within the range, per person, for the top contributors.
        for (var i = first; i < inRange; i++)
        {
            var reply = said[i];
            if (reply.Answers is not { } answers)
            {
                continue;
            }
            int? to = byId.TryGetValue(answers, out var j) ? said[j].Person : earlierAuthors.TryGetValue(answers, out var a) ? a.Person : null;
            if (to is not { } answered || answered == reply.Person)
            {
                continue;
            }
            var giver = perPerson[reply.Person];
            perPerson[reply.Person] = giver with { Given = giver.Given + 1 };
            if (perPerson.TryGetValue(answered, out var receiver))
            {
                perPerson[answered] = receiver with { Received = receiver.Received + 1 };
            }
        }

        // Someone who wrote both with and without the team's account is the team.
        outsideTeam.ExceptWith(teamPeople);
        var allNew = seen.Count(p => firstAt.ContainsKey(keys[p]));
        // The team's own first words are not a newcomer's: retention and response measure the people they host.
        var newcomers = seen.Where(p => firstAt.ContainsKey(keys[p]) && outsideTeam.Contains(p)).ToList();
        var cohorts = newcomers.GroupBy(p => firstAt[keys[p]].ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new RetentionCohort(g.Key, g.Count(), g.Count(cameBack.Contains), BelongingIndex.Share(g.Count(cameBack.Contains), g.Count()),
                g.All(p => firstAt[keys[p]] + followUp <= now)))
            .ToList();
        var newcomersAnswered = newcomers.Count(p => firstSaid.TryGetValue(p, out var i) && firstReply[i - first] is not null);
        var reciprocal = outsideTeam.Count(p => gave.Contains(p) && received.Contains(p));

        var retention = BelongingIndex.Share(newcomers.Count(cameBack.Contains), newcomers.Count);
        var reciprocity = BelongingIndex.Share(reciprocal, outsideTeam.Count);
        var response = BelongingIndex.Share(newcomersAnswered, newcomers.Count);
        var comments = inRange - first;
        var totals = new ReportTotals(comments, newcomerComments, comments - newcomerComments, seen.Count, allNew, seen.Count - allNew,
            threads.Count, conversations.Count, repliesInRange, answeredCount, BelongingIndex.Share(answeredCount, comments), Median(waits),
            othersCount, teamAnsweredCount, BelongingIndex.Share(teamAnsweredCount, othersCount), Median(teamWaits), null, 0, null);
        return new Counted
        {
            Totals = totals,
            Days = [.. days],
            Retention = cohorts,
            Depths = [.. depths.Select((n, d) => new DepthCount(d == depths.Length - 1 ? $"{d}+" : d.ToString(System.Globalization.CultureInfo.InvariantCulture), n))],
            Belonging = new ReportBelonging(BelongingIndex.Of(retention, reciprocity, response, comments), retention, reciprocity, response,
                default, default, null, null),
            Threads = [.. threads.OrderByDescending(t => t.Value.Comments).ThenByDescending(t => t.Key).Take(Top)
                .Select(t => (t.Key, t.Value.Comments, t.Value.People.Count, conversations.Contains(t.Key)))],
            People = [.. perPerson.OrderByDescending(p => p.Value.Comments).ThenBy(p => keys[p.Key], StringComparer.Ordinal).Take(Top)
                .Select(p => (keys[p.Key], p.Value.Comments, p.Value.Given, p.Value.Received, firstAt.ContainsKey(keys[p.Key])))],
        };
    }

    /// <summary>Keys of people merged into another (a claimed guest, a linked sign-in), to the key they now count under.</summary>
    async Task<Dictionary<string, string>> MergesAsync(long siteId, CancellationToken ct)
    {
        var rows = await (from p in db.People.AsNoTracking()
                          where p.SiteId == siteId && p.MergedIntoId != null
                          join target in db.People.AsNoTracking() on p.MergedIntoId equals target.Id
                          select new { From = p.Key, To = target.Key }).ToListAsync(ct);
        var map = rows.ToDictionary(r => r.From, r => r.To, StringComparer.Ordinal);
        // A merge of a merge: follow each key to the end, a bounded number of steps (a cycle cannot come from the data,
        // and would stop here anyway).
        foreach (var from in map.Keys.ToList())
        {
            var to = map[from];
            for (var step = 0; step < 8 && map.TryGetValue(to, out var next); step++)
            {
                to = next;
            }
            map[from] = to;
        }
        return map;
    }

    async Task<List<TopConversation>> TopThreadsAsync(long siteId, AnalyticsRange range, Counted counted, CancellationToken ct)
    {
        var ids = counted.Threads.Select(t => t.ThreadId).ToList();
        var threads = await db.Threads.AsNoTracking().Where(t => ids.Contains(t.Id))
            .Select(t => new { t.Id, t.Url, t.Title, t.Key }).ToDictionaryAsync(t => t.Id, ct);
        var pages = threads.Values.ToDictionary(t => t.Id, t => PageView.Hash(t.Key));
        var hashes = pages.Values.ToList();
        var viewed = (await db.PageViews.AsNoTracking()
            .Where(v => v.SiteId == siteId && hashes.Contains(v.ThreadKeyHash) && v.Day >= range.From && v.Day <= range.To)
            .Select(v => new { v.ThreadKeyHash, v.Views }).ToListAsync(ct))
            .GroupBy(v => v.ThreadKeyHash).ToDictionary(g => g.Key, g => g.Sum(v => v.Views));
        return [.. counted.Threads.Where(t => threads.ContainsKey(t.ThreadId))
            .Select(t => new TopConversation(t.ThreadId, threads[t.ThreadId].Url, threads[t.ThreadId].Title, t.Comments, t.People, t.Conversation,
                viewed.GetValueOrDefault(pages[t.ThreadId])))];
    }

    async Task<List<TopContributor>> TopPeopleAsync(long siteId, Counted counted, CancellationToken ct)
    {
        var keys = counted.People.Select(p => p.Key).ToList();
        var people = await db.People.AsNoTracking().Where(p => p.SiteId == siteId && keys.Contains(p.Key))
            .Select(p => new { p.Key, p.Name, p.Kind }).ToDictionaryAsync(p => p.Key, StringComparer.Ordinal, ct);
        return [.. counted.People.Select(p => people.TryGetValue(p.Key, out var person)
            ? new TopContributor(person.Name, person.Kind.ToString().ToLowerInvariant(), p.Comments, p.Given, p.Received, p.New)
            : new TopContributor("(unknown)", "guest", p.Comments, p.Given, p.Received, p.New))];
    }

    static List<DayCount> Weeks(IReadOnlyList<DayCount> days) =>
        [.. days.GroupBy(d => d.Date.AddDays(-(((int)d.Date.DayOfWeek + 6) % 7)))
            .Select(w => new DayCount(w.Key, w.Sum(d => d.Comments), w.Sum(d => d.Newcomers), w.Sum(d => d.Returning), w.Sum(d => d.Views)))];

    static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
