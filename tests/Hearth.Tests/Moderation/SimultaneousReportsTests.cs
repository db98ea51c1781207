using Hearth.Moderation;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Moderation;

/// <summary>
/// Two readers report a comment at the same moment on two nodes (each with its own write gate), each report enough to
/// take it down. It is taken down once: the thread's count loses it once, and its log says so once.
/// </summary>
public sealed class SimultaneousReportsTests(HearthApp app) : IClassFixture<HearthApp>
{
    const int Rounds = 25;

    [Fact]
    public async Task ACommentReportedTwiceAtOnceIsTakenDownOnce()
    {
        var site = await app.CreateSiteAsync();
        await app.InDatabaseAsync(db => db.Sites.Where(s => s.Name == site).ExecuteUpdateAsync(s => s.SetProperty(x => x.ReportThreshold, 1)));
        var stored = await app.InDatabaseAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Name == site));
        var client = app.CreateClient();
        var url = ApiCalls.NewPageUrl();
        await client.CommentAsync(site, url, "stays");

        for (var i = 0; i < Rounds; i++)
        {
            var id = (await client.CommentAsync(site, url, $"reported {i}")).Id();
            using var start = new Barrier(2);
            await Task.WhenAll(Task.Run(() => ReportAsync(start, stored, id, "reader-one")), Task.Run(() => ReportAsync(start, stored, id, "reader-two")));
            var takenDown = await app.InDatabaseAsync(db => db.ThreadEvents.CountAsync(e => e.CommentId == id && e.Type == "comment.deleted"));
            Assert.Equal(1, takenDown);
        }

        var count = await app.InDatabaseAsync(db => db.Threads.Where(t => t.SiteId == stored.Id).Select(t => t.CommentCount).SingleAsync());
        Assert.Equal(1, count);
    }

    async Task ReportAsync(Barrier start, Hearth.Sites.Site site, long id, string reporter)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var report = ActivatorUtilities.CreateInstance<ReportComment>(scope.ServiceProvider, new WriteGate());
        await scope.ServiceProvider.GetRequiredService<HearthDb>().Database.OpenConnectionAsync();
        start.SignalAndWait(TimeSpan.FromSeconds(30));
        // The second may find the comment already taken down (not found): either answer is fine, a second take-down is not.
        await report.RunAsync(site, id, new ReportRequest("spam"), reporter, CancellationToken.None);
    }
}
