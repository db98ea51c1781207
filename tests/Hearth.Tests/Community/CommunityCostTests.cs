using System.Net;
using Hearth.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Community;

/// <summary>
/// The community page and Explore read a bounded number of rows, however many comments a site holds: the same commands,
/// and (on SQLite, whose steps grow with the rows read) about the same steps with thousands more comments, recent or old.
/// </summary>
public class CommunityCostTests(MeasuredHearthApp app) : IClassFixture<MeasuredHearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    static readonly string[] Background = ["\"Leases\"", "\"PersonFanouts\"", "\"GuestSubscriptions\"", "\"GuestReplyMails\"", "\"Notifications\"", "\"ThreadEvents\"", "\"InstanceSettings\"", "\"QueuedMails\"", "\"MailQueue\""];

    /// <summary>Comments written straight into the database as a post stores them, spread over threads and three hundred people.</summary>
    async Task AddCommentsAsync(string site, int count, TimeSpan ago)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Hearth.Storage.HearthDb>();
        var body = scope.ServiceProvider.GetRequiredService<MarkdownRenderer>().Render("Busy as a mill in harvest.");
        var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
        var threads = Enumerable.Range(0, 60).Select(i => new CommentThread
        {
            SiteId = siteId, Key = $"u:https://blog.example/{Guid.NewGuid():N}", Url = $"https://blog.example/page-{i}", Title = $"Page {i}",
            CreatedAt = app.Clock.GetUtcNow().UtcDateTime - ago,
        }).ToList();
        db.Threads.AddRange(threads);
        await db.SaveChangesAsync();
        var now = app.Clock.GetUtcNow().UtcDateTime - ago;
        for (var done = 0; done < count; done += 1000)
        {
            db.Comments.AddRange(Enumerable.Range(done, Math.Min(1000, count - done)).Select(i => Comment.Create(threads[i % threads.Count], null,
                new CommentAuthor { Kind = AuthorKind.Guest, Name = $"Person {i % 300}", Key = $"key-{i % 300}" },
                body, CommentStatus.Published, null, null, null, now.AddSeconds(-i), 10)));
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
    }

    async Task<(int Commands, long Steps)> ReadAsync(string path)
    {
        // Past the brief cache, so the lists are computed afresh.
        app.Clock.Advance(Hearth.Community.CommunityCache.Freshness);
        app.Meter.Start();
        using var response = await _client.GetAsync(path);
        var commands = app.Meter.Stop();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Only the request's own reads: background rounds (leases, notifications) woken by the clock are not its cost.
        var own = Own(commands);
        return (own.Count, own.Sum(c => c.Steps));
    }

    static List<(string Sql, long Steps)> Own(IEnumerable<(string Sql, long Steps)> commands) =>
        [.. commands.Where(c => c.Sql.TrimStart().StartsWith("SELECT", StringComparison.Ordinal)
            && !Background.Any(table => c.Sql.Contains(table, StringComparison.Ordinal)))];

    [Fact]
    public async Task TheCommunityPageAndExploreReadTheSameBoundedRowsWithThousandsMoreComments()
    {
        var site = await app.CreateSiteAsync();
        await app.InDatabaseAsync(db => db.Sites.Where(s => s.Name == site)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.CommunityPage, true).SetProperty(x => x.ListOnExplore, true)));
        // Already more recent comments than either list reads (1,000 and 2,000).
        await AddCommentsAsync(site, 2_100, TimeSpan.FromHours(1));
        var small = await ReadAsync($"/api/v1/sites/{site}/community");
        var smallExplore = await ReadAsync("/api/v1/explore");

        await AddCommentsAsync(site, 3_000, TimeSpan.FromMinutes(1));
        await AddCommentsAsync(site, 2_000, TimeSpan.FromDays(60));
        var large = await ReadAsync($"/api/v1/sites/{site}/community");

        // Within the brief cache, a read asks the database nothing.
        app.Meter.Start();
        using (var again = await _client.GetAsync($"/api/v1/sites/{site}/community"))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
        Assert.Empty(Own(app.Meter.Stop()));

        var largeExplore = await ReadAsync("/api/v1/explore");

        // The site (its cached name lapsed with the clock), the conversations, the busiest people and their records, the
        // recently joined and the regulars.
        Assert.True(large.Commands <= 6, $"{large.Commands} commands");
        Assert.Equal(small.Commands, large.Commands);
        // The listed sites with their newest comment, then each site's conversations (this one's and the demo's).
        Assert.True(largeExplore.Commands <= 1 + Hearth.Community.Explore.MaxSites, $"{largeExplore.Commands} commands");
        Assert.Equal(smallExplore.Commands, largeExplore.Commands);
        if (small.Steps > 0)
        {
            Assert.True(large.Steps < small.Steps * 13 / 10, $"{small.Steps} steps with 2,100 comments, {large.Steps} with 7,100");
            Assert.True(largeExplore.Steps < smallExplore.Steps * 13 / 10, $"Explore: {smallExplore.Steps} steps, then {largeExplore.Steps}");
        }
    }
}
