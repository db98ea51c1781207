using System.Text.RegularExpressions;
using Hearth.Conversations;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Portability;

/// <summary>
/// Each chunk of an import counts its comments into their threads with one statement, however many threads the chunk
/// spans: a statement per thread made that count a quarter of a large import's time.
/// </summary>
public class ImportWritingCostTests(MeasuredHearthApp app) : IClassFixture<MeasuredHearthApp>
{
    async Task<int> ThreadUpdatesAsync(string prefix, int threads)
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        app.Meter.Start();
        var summary = await app.ImportAsync(site, DisqusFiles.Many(prefix, threads, 2), map: new());
        var commands = app.Meter.Stop();
        Assert.Equal(threads * 2, summary.CommentsImported);
        return commands.Sum(c => Regex.Count(c.Sql, """UPDATE "Threads" SET "CommentCount" """));
    }

    [SqliteFact("the commands are counted by an interceptor of SQLite's connections")]
    public async Task TenTimesTheThreadsSendTheSameStatementsToCountThem()
    {
        var few = await ThreadUpdatesAsync("few", 30);
        var many = await ThreadUpdatesAsync("many", 300);

        // One chunk for the first comments of the pages, one for their replies.
        Assert.Equal(2, few);
        Assert.Equal(few, many);
    }

    [Fact]
    public async Task EachThreadCountsItsPublicCommentsAndKeepsTheNewerOfItsOwnAndTheFilesLast()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var client = app.CreateClient();
        // A comment of the site itself, newer than any in the file (2016), on the file's first page.
        await client.CommentAsync(site, "https://blog.example/own/0", "Written here, after the old system", name: "Here Now");
        var own = app.Clock.GetUtcNow().UtcDateTime;

        await app.ImportAsync(site, DisqusFiles.Many("own", 12, 5), map: new());

        var threads = await app.InDatabaseAsync(db => db.Threads.AsNoTracking()
            .Where(t => db.Sites.Any(s => s.Id == t.SiteId && s.Name == site))
            .Select(t => new
            {
                t.Url, t.CommentCount, t.LastCommentAt,
                Counted = db.Comments.Count(c => c.ThreadId == t.Id && c.Status == CommentStatus.Published),
                Newest = db.Comments.Where(c => c.ThreadId == t.Id && c.Status == CommentStatus.Published).Max(c => (DateTime?)c.CreatedAt),
            }).ToListAsync());
        Assert.Equal(12, threads.Count);
        Assert.All(threads, t => Assert.Equal(t.Counted, t.CommentCount));
        Assert.All(threads, t => Assert.Equal(t.Newest, t.LastCommentAt));
        var first = Assert.Single(threads, t => t.Url == "https://blog.example/own/0");
        Assert.Equal(6, first.CommentCount);
        Assert.Equal(own, first.LastCommentAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.All(threads.Where(t => t != first), t => Assert.Equal(new DateTime(2016, 2, 3, 4, 5, 6, DateTimeKind.Utc), t.LastCommentAt));
    }
}
