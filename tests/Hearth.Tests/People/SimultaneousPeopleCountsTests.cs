using Hearth.People;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.People;

/// <summary>Nodes storing comments of the same people at the same moment each count theirs: the counters are increments in the database.</summary>
public class SimultaneousPeopleCountsTests(HearthApp app) : IClassFixture<HearthApp>
{
    [Fact]
    public async Task CommentsCountedAtOnceInSeparateTransactionsAllCountOnBothSides()
    {
        const int Writers = 12;
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var client = app.CreateClient();
        var first = (await client.CommentAsync(site, url, "Tell me more", name: "Asking Astrid")).Id();
        var reply = (await client.CommentAsync(site, url, "Gladly", parentId: first, name: "Answering Arne")).Id();
        var (comment, parentKey) = await app.InDatabaseAsync(async db => (
            await db.Comments.AsNoTracking().SingleAsync(c => c.Id == reply),
            await db.Comments.Where(c => c.Id == first).Select(c => c.Author.Key).SingleAsync()));

        // Each writer its own connection and transaction, as separate nodes have: the first makes the person, the rest
        // meet the unique key and add to it.
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await PersonLedger.CommentStoredAsync(db, comment, parentKey, new TrustOptions(), CancellationToken.None);
            await transaction.CommitAsync();
        })));

        var arne = await app.PersonAsync(site, "Answering Arne");
        // The reply's own post counted once more.
        Assert.Equal((Writers + 1, Writers + 1, Writers + 1, 1), (arne.Comments, arne.Approved, arne.RepliesGiven, arne.DaysActive));
        Assert.Equal(Writers + 1, (await app.PersonAsync(site, "Asking Astrid")).RepliesReceived);
        Assert.Equal(1, await app.InDatabaseAsync(db => db.People.CountAsync(p => p.Key == comment.Author.Key)));
    }
}
