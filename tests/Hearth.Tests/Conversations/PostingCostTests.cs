using System.Net;
using Hearth.Conversations;
using Hearth.Sites;
using Hearth.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Conversations;

/// <summary>
/// What a post asks of the database, with every moderation check on: a stated number of commands, and no more
/// reading when the site's day holds more comments. Counted, not timed, so the verdict is the same on any machine.
/// </summary>
public class PostingCostTests(MeasuredHearthApp app) : IClassFixture<MeasuredHearthApp>
{
    /// <summary>
    /// Commands one post may send, each one however long the comment or busy the site: the thread, its parent, a
    /// twin, whether a guest's name is a staff member's, bans, near-copies, the spam filter's counts, the author's
    /// history; then the thread's count and the event's place in its log (one increment, which is also the thread's lock
    /// on PostgreSQL) with the comment in one command, then its log entry and fingerprint in one command. A post that starts a thread stores the thread (with its
    /// count and first place, or counts into one another server just made) instead of reading a parent and a twin and
    /// counting; one with an
    /// Idempotency-Key looks for an earlier answer and stores its own with the log entry (an expired one goes with the comment). The
    /// transaction around them is shared with whatever other posts wait at the same moment. On PostgreSQL, one more: the
    /// batch holds its threads first, or a page without a thread its page (TwinsOnTwoNodesTests).
    /// </summary>
    static int CommandBudget => TestDatabase.IsPostgres ? 12 : 11;

    /// <summary>
    /// Of those, the commands a reply sends in the batch that stores posts one after another; on PostgreSQL one more,
    /// the batch's hold on its thread before anything is read, so that a twin sent to another node at the same moment
    /// is found (TwinsOnTwoNodesTests).
    /// </summary>
    static int BatchBudget => TestDatabase.IsPostgres ? 6 : 5;

    readonly HttpClient _client = app.CreateClient();

    /// <summary>A site with every check switched on, first-comment mode (which asks about the author) included.</summary>
    async Task<string> StrictSiteAsync()
    {
        var site = await app.CreateSiteAsync(moderation: ModerationMode.First);
        await app.InDatabaseAsync(async db =>
        {
            var entity = await db.Sites.SingleAsync(s => s.Name == site);
            entity.MaxLinks = 2;
            entity.BannedWords = ["casino", "bet now"];
            entity.SuspectWords = ["crypto", "miracle cure"];
            entity.CloseAfterDays = 30;
            return await db.SaveChangesAsync();
        });
        app.Services.GetRequiredService<SiteDirectory>().Forget(site);
        return site;
    }

    async Task<(HttpStatusCode Status, long Id, IReadOnlyList<string> Commands, IReadOnlyList<(string Sql, long Steps)> Costs, IReadOnlyList<string> Stored)> MeasureAsync(
        string site, object body, string? idempotencyKey = null)
    {
        app.Meter.Start();
        using var response = await _client.PostCommentAsync(site, body, idempotencyKey);
        var costs = app.Meter.Stop();
        var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, json.TryGetProperty("id", out var id) ? id.GetInt64() : 0, [.. costs.Select(c => c.Sql)], costs, app.Meter.InTransactions);
    }

    async Task PublishAsync(long id) => await app.InDatabaseAsync(db =>
        db.Comments.Where(c => c.Id == id).ExecuteUpdateAsync(c => c.SetProperty(x => x.Status, Hearth.Conversations.CommentStatus.Published)));

    [Fact]
    public async Task APostSendsAFewCommandsWithEveryCheckOnAndItsFingerprintInOne()
    {
        var site = await StrictSiteAsync();
        var page = ApiCalls.NewPageUrl();
        var first = await _client.CommentAsync(site, page, "The towpath was muddy after the rain but the heron was still there by the lock.", name: "Ann");
        await PublishAsync(first.Id());

        var newPage = await MeasureAsync(site, new
        {
            url = ApiCalls.NewPageUrl(),
            body = "A new page: the mill wheel turned slowly while volunteers painted the railings [photos](https://photos.example/mill).",
            author = new { name = "Ann" },
        }, idempotencyKey: "cost-1");
        var reply = await MeasureAsync(site, new
        {
            url = page,
            parentId = first.Id(),
            body = "Thanks Ann, we walked the same stretch on Sunday and saw the heron too, standing perfectly still.",
            author = new { name = "Ben" },
        });

        Assert.Equal(HttpStatusCode.Created, newPage.Status);
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        Assert.True(newPage.Commands.Count <= CommandBudget,
            $"A post on a new page sent {newPage.Commands.Count} commands, over the budget of {CommandBudget}:\n{string.Join("\n---\n", newPage.Commands)}");
        Assert.True(reply.Commands.Count <= CommandBudget,
            $"A reply sent {reply.Commands.Count} commands, over the budget of {CommandBudget}:\n{string.Join("\n---\n", reply.Commands)}");
        Assert.Single(reply.Commands, c => c.Contains("INSERT INTO \"SimilarityBands\"", StringComparison.Ordinal));
        // Posts are stored one after another by one writer; the checks that need not see the posts just before ran
        // before the reply queued. In the batch: its parent, a twin, near-copies, the count with the comment, its log entry.
        Assert.True(reply.Stored.Count <= BatchBudget,
            $"A reply sent {reply.Stored.Count} commands in its batch, over the budget of {BatchBudget}:\n{string.Join("\n---\n", reply.Stored)}");
        // The fingerprint is there for the next post's check, in that one command: all 24 bands side by side, and eight of
        // them as keys, the only entries a post writes at random places of an index.
        Assert.Single(reply.Commands, c => c.Contains("INSERT INTO \"SimilarityKeys\"", StringComparison.Ordinal));
        Assert.Equal(Hearth.Moderation.SimilarWords.Bands,
            await app.InDatabaseAsync(db => db.Set<Hearth.Moderation.SimilarityBand>().CountAsync(b => b.CommentId == reply.Id)));
        Assert.Equal(Hearth.Moderation.SimilarWords.KeyBands,
            await app.InDatabaseAsync(db => db.Set<Hearth.Moderation.SimilarityKey>().CountAsync(k => k.CommentId == reply.Id)));
    }

    [SqliteFact("it counts SQLite's virtual-machine steps")]
    public async Task NoCheckReadsMoreWhenTheDayHoldsMoreComments()
    {
        var site = await StrictSiteAsync();
        var hot = ApiCalls.NewPageUrl();
        var regular = await _client.CommentAsync(site, hot, "Regular here: the canal walk is the best part of living in this town.", name: "Regular");
        await PublishAsync(regular.Id());

        // The first part of the day is already past every bound the checks keep (a hundred copies of a spam run).
        await BusyDayAsync(site, regular, 0, 500);
        var before = await ProbesAsync(site, hot, 0);
        await BusyDayAsync(site, regular, 500, 2500);
        var after = await ProbesAsync(site, hot, 1);

        // Five times the day's comments: the same hot page, the same regular author, a longer spam run. Index lookups
        // and bounded ranges read the same; anything that scans the day, the page or the author's history does not.
        var (stepsBefore, stepsAfter) = (before.Sum(c => c.Steps), after.Sum(c => c.Steps));
        Assert.True(stepsAfter <= stepsBefore * 1.1 + 100,
            $"The probe posts took {stepsBefore} SQLite steps after 500 of the day's comments and {stepsAfter} after 2,500. Per command:\n"
            + string.Join("\n", before.Zip(after, (b, a) => $"{b.Steps} -> {a.Steps}: {a.Sql[..Math.Min(a.Sql.Length, 160)].ReplaceLineEndings(" ")}")));
    }

    /// <summary>The same three posts each time: the regular on the hot page, a newcomer there, a spam-run copy.</summary>
    async Task<List<(string Sql, long Steps)>> ProbesAsync(string site, string hot, int round)
    {
        var word = Words(round, 1);
        var probes = new[]
        {
            (hot, $"Regular again: the {word} lock gates opened early and the boats went through before breakfast.", "Regular"),
            (hot, $"First time here, I only wanted to say the {word} photos of the weir are lovely.", $"Newcomer {round}"),
            (ApiCalls.NewPageUrl(), $"Visit my shop for cheap {word} garden furniture deals today, free delivery on all orders", $"Seller {round}"),
        };
        var costs = new List<(string Sql, long Steps)>();
        foreach (var (url, body, name) in probes)
        {
            var probe = await MeasureAsync(site, new { url, body, author = new { name } });
            Assert.Equal(HttpStatusCode.Created, probe.Status);
            costs.AddRange(probe.Costs);
        }
        return costs;
    }

    /// <summary>
    /// Comments of the day, written straight into the database as a post stores them (fingerprints included), because
    /// thousands of posts through the API would make a slow test: a quarter copies of a spam run on pages of their
    /// own, a quarter by the regular elsewhere, a quarter on the hot page under twenty names, a quarter the same
    /// short thanks there.
    /// </summary>
    async Task BusyDayAsync(string site, System.Text.Json.JsonElement regular, int from, int to)
    {
        string[] run = ["Visit my shop for cheap garden furniture deals today, free delivery on all orders",
            "Visit my store for cheap garden furniture deals today, free delivery on all orders now"];
        var markdown = app.Services.GetRequiredService<MarkdownRenderer>();
        await app.InDatabaseAsync(async db =>
        {
            var mine = await db.Comments.AsNoTracking().SingleAsync(c => c.Id == regular.Id());
            var hot = await db.Threads.SingleAsync(t => t.Id == mine.ThreadId);
            var siteId = hot.SiteId;
            var now = app.Clock.GetUtcNow().UtcDateTime;
            var written = new List<(Comment Comment, RenderedMarkdown Body)>();
            for (var i = from; i < to; i++)
            {
                var (page, body, author) = (i % 4) switch
                {
                    0 => (NewThread(siteId, now), run[i % 8 == 0 ? 0 : 1], Guest($"Seller {i}")),
                    1 => (NewThread(siteId, now), Words(i, 12) + ".", mine.Author),
                    2 => (hot, Words(i, 8 + i % 30) + ".", Guest($"Reader {i % 20}")),
                    _ => (hot, "Thank you so much for this!", Guest($"Thankful {i}")),
                };
                if (page != hot)
                {
                    db.Threads.Add(page);
                    await db.SaveChangesAsync();
                }
                var rendered = markdown.Render(body);
                var comment = Comment.Create(page, null, author, rendered, i % 4 == 0 ? CommentStatus.Pending : CommentStatus.Published,
                    null, null, "ip-" + i, now, new HearthOptions().MaxReplyDepth);
                db.Comments.Add(comment);
                written.Add((comment, rendered));
            }
            await db.SaveChangesAsync();
            db.AddRange(written.SelectMany(w => Hearth.Moderation.SimilarityBand.For(w.Comment, w.Body)));
            return await db.SaveChangesAsync();
        });
    }

    static CommentThread NewThread(long siteId, DateTime now)
    {
        var url = ApiCalls.NewPageUrl();
        return new CommentThread { SiteId = siteId, Key = "u:" + url, Url = url, CreatedAt = now };
    }

    static CommentAuthor Guest(string name) => new() { Kind = AuthorKind.Guest, Name = name, Key = "test-" + name };

    /// <summary>Words from a vocabulary of some thousands, as people's comments draw on.</summary>
    static string Words(int seed, int count)
    {
        var random = new Random(seed);
        return string.Join(' ', Enumerable.Range(0, count).Select(_ =>
            Syllables[random.Next(Syllables.Length)] + Syllables[random.Next(Syllables.Length)] + (random.Next(3) == 0 ? Syllables[random.Next(Syllables.Length)] : "")));
    }

    static readonly string[] Syllables =
        ("ba be bi bo bu da de di do du fa fe fi fo fu ga ge gi go gu ka ke ki ko ku la le li lo lu ma me mi mo mu " +
         "na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu").Split(' ');
}
