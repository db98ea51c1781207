using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Conversations;

/// <summary>
/// Two readers vote on one comment at the same moment on two nodes (each with its own write gate): both votes count,
/// as the second reads the comment's totals only once the first has written them.
/// </summary>
public sealed class SimultaneousVotesTests(HearthApp app) : IClassFixture<HearthApp>
{
    const int Rounds = 25;

    [Fact]
    public async Task TwoVotesAtOnceBothCount()
    {
        var site = await app.CreateSiteAsync();
        var stored = await app.InDatabaseAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Name == site));
        var client = app.CreateClient();
        var url = ApiCalls.NewPageUrl();
        for (var i = 0; i < Rounds; i++)
        {
            var id = (await client.CommentAsync(site, url, $"worth a vote {i}")).Id();
            using var start = new Barrier(2);
            await Task.WhenAll(Task.Run(() => VoteAsync(start, stored, id, "reader-one")), Task.Run(() => VoteAsync(start, stored, id, "reader-two")));
            Assert.Equal(2, await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == id).Select(c => c.Upvotes).SingleAsync()));
        }
    }

    async Task VoteAsync(Barrier start, Hearth.Sites.Site site, long id, string voter)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var vote = ActivatorUtilities.CreateInstance<VoteOnComment>(scope.ServiceProvider, new WriteGate());
        await scope.ServiceProvider.GetRequiredService<HearthDb>().Database.OpenConnectionAsync();
        start.SignalAndWait(TimeSpan.FromSeconds(30));
        await vote.RunAsync(site, id, new VoteRequest(1), voter, CancellationToken.None);
    }
}
