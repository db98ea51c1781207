using System.Net;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.ManyNodes;

/// <summary>Node A's database commands can be held half-way.</summary>
public sealed class TwoNodesOneHeld : TwoNodes
{
    public HoldAfterStatement Hold { get; } = new();

    protected override Action<IServiceCollection>? ServicesOfA =>
        services => services.ConfigureDbContext<PostgresHearthDb>(db => db.AddInterceptors(Hold));
}

/// <summary>
/// Two nodes' batches of posts that share a person and a new page. Node A's batch holds Xena's record (her post stored)
/// and has yet to start the new page; node B's post, Xena's first word on that page, comes meanwhile. Had each batch
/// taken its locks as its posts came to them, B would hold the page and wait for Xena's record, A would wait for the
/// page, and PostgreSQL would end one of them. Each batch takes its pages, threads and people first, in one order, so B
/// waits for A and both are stored at their first attempt.
/// </summary>
[Collection(TwoNodes.Collection)]
public sealed class BatchesOnTwoNodesTests(TwoNodesOneHeld nodes) : IClassFixture<TwoNodesOneHeld>
{
    const string PersonUpsert = "INSERT INTO \"People\"";

    [PostgresFact("waits between nodes' transactions are PostgreSQL's; SQLite writes one transaction at a time")]
    public async Task BatchesSharingAPersonAndANewPageTakeTurnsWithoutADeadlock()
    {
        var site = await nodes.A.CreateSiteAsync();
        var (a, b) = (nodes.A.CreateClient(), nodes.B.CreateClient());
        var (busy, fresh) = (ApiCalls.NewPageUrl(), ApiCalls.NewPageUrl());
        await a.CommentAsync(site, busy, "The first word on the busy page.", name: "Opening Olga");
        var commits = nodes.A.Services.GetRequiredService<GroupCommit>();
        var other = nodes.B.Services.GetRequiredService<GroupCommit>();

        // A post held in its batch on A, so that the next two queue behind it and form A's next batch.
        var first = nodes.Hold.Arm(PersonUpsert);
        var opening = a.CommentAsync(site, busy, "Holding the line on the busy page for a moment.", name: "Waiting Wanda");
        await first.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var xena = a.PostCommentAsync(site, new { url = busy, body = "Xena's word on the busy page, about the harbour lights.", author = new { name = "Xena" } });
        await Nodes.Node.UntilAsync(async () => commits.Waiting == 2, "Xena's post queued on A");
        var yannick = a.PostCommentAsync(site, new { url = fresh, body = "Yannick opens the new page with a question about tides.", author = new { name = "Yannick" } });
        await Nodes.Node.UntilAsync(async () => commits.Waiting == 3, "Yannick's post queued on A");
        var second = nodes.Hold.Arm(PersonUpsert);
        first.Release.SetResult();
        await opening;
        var (before, ranBefore, otherRanBefore) = (commits.Committed, commits.RanAgain, other.RanAgain);

        // A's batch of Xena and Yannick, held once Xena's record is changed.
        await second.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var onB = b.PostCommentAsync(site, new { url = fresh, body = "Xena on the new page too, from the other node, about ferries.", author = new { name = "Xena" } });
        await Nodes.Node.UntilAsync(async () => await WaitingOnLocksAsync() >= 1, "B's post waiting for A's batch");
        second.Release.SetResult();

        var answers = await Task.WhenAll(xena, yannick, onB);
        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.Created, answer.StatusCode));
        var after = commits.Committed;
        Assert.Equal((1L, 2L), (after.Batches - before.Batches, after.Writes - before.Writes));
        Assert.Equal(0, commits.RanAgain - ranBefore);
        Assert.Equal(0, other.RanAgain - otherRanBefore);
        var siteId = await nodes.A.InDatabaseAsync(db => db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync());
        var threads = await nodes.A.InDatabaseAsync(db => db.Threads.Where(t => t.SiteId == siteId).Select(t => t.CommentCount).ToListAsync());
        Assert.Equal([2, 3], threads.Order().ToList());
        Assert.Equal(2, await nodes.A.InDatabaseAsync(db => db.People.Where(p => p.SiteId == siteId && p.Name == "Xena").Select(p => p.Comments).SingleAsync()));
    }

    Task<int> WaitingOnLocksAsync() => nodes.A.InDatabaseAsync(db => db.Database.SqlQuery<int>($"""
        SELECT count(*)::int AS "Value" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
        """).SingleAsync());
}
