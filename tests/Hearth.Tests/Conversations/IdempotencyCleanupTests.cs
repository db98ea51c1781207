using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Conversations;

public class IdempotencyCleanupTests(HearthApp app) : IClassFixture<HearthApp>
{
    [Fact]
    public async Task ExpiredIdempotencyRecordsAreForgottenAndTheKeyCanBeUsedAgain()
    {
        var client = app.CreateClient();
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var first = await client.PostCommentAsync(site, new { url, body = "first", author = new { name = "Ann" } }, idempotencyKey: "daily");
        Assert.Equal(System.Net.HttpStatusCode.Created, first.StatusCode);

        app.Clock.Advance(TimeSpan.FromHours(25));
        await WaitUntilAsync(() => app.InDatabaseAsync(db => db.IdempotencyRecords.AnyAsync(r => r.Key == "daily")), expected: false);

        var reuse = await client.PostCommentAsync(site, new { url, body = "another day", author = new { name = "Ann" } }, idempotencyKey: "daily");
        Assert.Equal(System.Net.HttpStatusCode.Created, reuse.StatusCode);
    }

    static async Task WaitUntilAsync(Func<Task<bool>> probe, bool expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await probe() != expected)
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come true in time");
            await Task.Delay(50);
        }
    }
}
