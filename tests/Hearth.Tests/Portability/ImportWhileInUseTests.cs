using Hearth.Conversations;
using Hearth.Portability;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Portability;

public class ImportWhileInUseTests(HearthApp app) : IClassFixture<HearthApp>
{
    [Fact]
    public async Task PostsAndReadsGoOnWhileAnImportRunsAndEveryCountComesOutRight()
    {
        var site = await app.CreateSiteAsync();
        var client = app.CreateClient();
        const int threads = 40, perThread = 250;
        var file = DisqusFiles.Many("live", threads, perThread);

        var import = Task.Run(() => app.ImportAsync(site, file, map: new UrlMap()));
        var posted = new int[threads];
        var turns = 0;
        // Until the import is over, and a few times at least: pages the import writes into are posted to and read.
        while (!import.IsCompleted || turns < 10)
        {
            var page = turns % threads;
            await client.CommentAsync(site, $"https://blog.example/live/{page}", $"Said live, number {turns}", name: $"Live Lee {turns}");
            posted[page]++;
            await client.ThreadAsync(site, $"https://blog.example/live/{page}");
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            turns++;
        }
        var summary = await import;

        Assert.Equal(threads * perThread, summary.CommentsImported);
        var wrong = await app.InDatabaseAsync(db => db.Threads.AsNoTracking()
            .Where(t => db.Sites.Any(s => s.Id == t.SiteId && s.Name == site))
            .Select(t => new { t.Url, t.CommentCount, Counted = db.Comments.Count(c => c.ThreadId == t.Id && c.Status == CommentStatus.Published) })
            .Where(t => t.CommentCount != t.Counted).ToListAsync());
        Assert.Empty(wrong);
        for (var page = 0; page < threads; page++)
        {
            var thread = await client.ThreadAsync(site, $"https://blog.example/live/{page}");
            Assert.Equal(perThread + posted[page], thread.GetProperty("thread").GetProperty("commentCount").GetInt32());
        }
    }
}
