using Hearth.Conversations;
using Hearth.Portability;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Portability;

public class ImportResumeTests(HearthApp app) : IClassFixture<HearthApp>
{
    [Fact]
    public async Task AnImportStoppedHalfWayIsFinishedByRunningItAgainAndCountsEveryCommentOnce()
    {
        var site = await app.CreateSiteAsync();
        const int threads = 6, perThread = 2000;
        var file = DisqusFiles.Many("resume", threads, perThread);
        using var stop = new CancellationTokenSource();
        // Stopped as soon as the first chunk of comments is committed, as a crash or Ctrl+C would.
        var progress = new StopWhenWriting(stop);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => app.ImportAsync(site, file, map: new UrlMap(), ct: stop.Token, progress: progress));

        var partly = await app.InDatabaseAsync(db => db.Comments.CountAsync(c => db.Sites.Any(s => s.Id == c.SiteId && s.Name == site)));
        Assert.InRange(partly, 1, threads * perThread - 1);
        Assert.Equal(0, await app.InDatabaseAsync(db => db.ImportRows.CountAsync()));
        Assert.Empty(ImportRunner.StagingFiles(app));

        var rest = await app.ImportAsync(site, file, map: new UrlMap());

        Assert.Equal((threads * perThread - partly, (long)partly), (rest.CommentsImported, rest.AlreadyPresent));
        var (counted, stored, people) = await app.InDatabaseAsync(async db =>
        {
            var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
            return (await db.Threads.Where(t => t.SiteId == siteId).SumAsync(t => t.CommentCount),
                await db.Comments.CountAsync(c => c.SiteId == siteId && c.Status == CommentStatus.Published),
                await db.People.Where(p => p.SiteId == siteId).SumAsync(p => p.Comments));
        });
        Assert.Equal((threads * perThread, threads * perThread, threads * perThread), (counted, stored, people));
    }

    sealed class StopWhenWriting(CancellationTokenSource stop) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value)
        {
            if (value is { Phase: "writing", Done: > 0 })
            {
                stop.Cancel();
            }
        }
    }
}
