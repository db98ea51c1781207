using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Moderation;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Moderation;

/// <summary>
/// Two moderators (on two nodes: each has its own write gate) decide at once on comments of the same two threads, one
/// listing thread A's first and the other thread B's. On PostgreSQL each takes thread rows' locks; taken in the order of
/// the list, the two would wait on each other and one would be ended as a deadlock. Both must complete, every time.
/// </summary>
public sealed class CrossedDecisionsTests(HearthApp app) : IClassFixture<HearthApp>
{
    const int Rounds = 40;

    [Fact]
    public async Task DecisionsListingTwoThreadsInOppositeOrdersBothComplete()
    {
        var site = await app.CreateSiteAsync();
        var client = app.CreateClient();
        var (urlA, urlB) = (ApiCalls.NewPageUrl(), ApiCalls.NewPageUrl());
        var first = new List<(long A, long B)>();
        var second = new List<(long A, long B)>();
        for (var i = 0; i < Rounds; i++)
        {
            first.Add(((await client.CommentAsync(site, urlA, $"first in A {i}")).Id(), (await client.CommentAsync(site, urlB, $"first in B {i}")).Id()));
            second.Add(((await client.CommentAsync(site, urlA, $"second in A {i}")).Id(), (await client.CommentAsync(site, urlB, $"second in B {i}")).Id()));
        }
        var stored = await app.InDatabaseAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Name == site));
        var moderator = new Member(0, 0, stored.Id, "Mo", null, null, []);

        for (var i = 0; i < Rounds; i++)
        {
            using var start = new Barrier(2);
            var one = Task.Run(() => DecideAsync(start, stored, moderator, [first[i].A, first[i].B]));
            var other = Task.Run(() => DecideAsync(start, stored, moderator, [second[i].B, second[i].A]));
            var results = await Task.WhenAll(one, other);
            Assert.All(results, r => Assert.Equal(2, r.Changed));
        }

        // Every rejection counted once: only what is still published is counted.
        var counts = await app.InDatabaseAsync(db => db.Threads.Where(t => t.SiteId == stored.Id).Select(t => t.CommentCount).ToListAsync());
        Assert.Equal([0, 0], counts);
    }

    async Task<DecisionResponse> DecideAsync(Barrier start, Hearth.Sites.Site site, Member moderator, long[] ids)
    {
        await using var scope = app.Services.CreateAsyncScope();
        // A gate of its own, as on another node.
        var decide = ActivatorUtilities.CreateInstance<DecideComments>(scope.ServiceProvider, new WriteGate());
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        await db.Database.OpenConnectionAsync();
        start.SignalAndWait(TimeSpan.FromSeconds(30));
        return await decide.RunAsync(site, moderator, ids, "reject", CancellationToken.None);
    }
}
