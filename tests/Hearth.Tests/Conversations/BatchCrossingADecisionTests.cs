using Hearth.Identity;
using Hearth.Moderation;
using Hearth.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Conversations;

/// <summary>
/// A batch of posts to thread B and then thread A meets a bulk decision (on another node) about comments of A and B.
/// The decision locks A, then B. Had the batch locked its threads in the order its posts arrived (B, then A), each would
/// hold what the other waits for: PostgreSQL ends one of them as a deadlock, and the batch's posts all run again alone.
/// The batch locks A and B first, in that order, so the two simply take turns.
/// </summary>
public sealed class BatchCrossingADecisionTests(BatchCrossingADecisionTests.AppThatHolds app) : IClassFixture<BatchCrossingADecisionTests.AppThatHolds>
{
    public sealed class AppThatHolds : HearthApp
    {
        public ManyNodes.HoldAfterStatement Hold { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.ConfigureDbContext<PostgresHearthDb>(db => db.AddInterceptors(Hold)));
        }
    }

    const string ThreadCountUpdate = "UPDATE \"Threads\" SET \"CommentCount\" = \"CommentCount\" +";

    [PostgresFact("row locks are PostgreSQL's; SQLite's first write takes the whole database")]
    public async Task ABatchOfPostsToTwoThreadsAndADecisionOnBothTakeTurnsWithoutADeadlock()
    {
        var site = await app.CreateSiteAsync();
        var client = app.CreateClient();
        var (urlA, urlB, urlC) = (ApiCalls.NewPageUrl(), ApiCalls.NewPageUrl(), ApiCalls.NewPageUrl());
        // Thread A is made first, so its id is the lower.
        var inA = (await client.CommentAsync(site, urlA, "An early word in A")).Id();
        var inB = (await client.CommentAsync(site, urlB, "An early word in B")).Id();
        await client.CommentAsync(site, urlC, "An early word in C");
        var commits = app.Services.GetRequiredService<GroupCommit>();

        // A post to C is held inside its batch, so the posts to B and then A queue behind it and form the next batch.
        var first = app.Hold.Arm(ThreadCountUpdate);
        var toC = client.CommentAsync(site, urlC, "Holding the line in C");
        await first.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var toB = client.CommentAsync(site, urlB, "A later word in B");
        await Nodes.Node.UntilAsync(async () => commits.Waiting == 2, "the post to B queued");
        var toA = client.CommentAsync(site, urlA, "A later word in A");
        await Nodes.Node.UntilAsync(async () => commits.Waiting == 3, "the post to A queued");
        // The batch of B and A is held once it has changed its first thread (B), holding B's row lock.
        var second = app.Hold.Arm(ThreadCountUpdate);
        first.Release.SetResult();
        await toC;
        var before = commits.Committed;
        await second.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Another node decides on a comment of A and one of B: it locks A, then B, and waits for the batch.
        var stored = await app.InDatabaseAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Name == site));
        var decision = Task.Run(async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var decide = ActivatorUtilities.CreateInstance<DecideComments>(scope.ServiceProvider, new WriteGate());
            return await decide.RunAsync(stored, new Member(0, 0, stored.Id, "Mo", null, null, []), [inA, inB], "reject", CancellationToken.None);
        });
        await Nodes.Node.UntilAsync(async () => await app.InDatabaseAsync(db => db.Database.SqlQuery<int>($"""
            SELECT COUNT(*)::int AS "Value" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
            """).SingleAsync()) >= 1, "the decision waiting for a thread's lock");
        second.Release.SetResult();

        Assert.Equal(2, (await decision).Changed);
        await Task.WhenAll(toB, toA);
        var after = commits.Committed;
        // One batch stored both posts: none failed and ran again alone.
        Assert.Equal((1L, 2L), (after.Batches - before.Batches, after.Writes - before.Writes));
    }
}
