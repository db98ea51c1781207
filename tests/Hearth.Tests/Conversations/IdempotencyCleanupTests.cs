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

    [Fact]
    public async Task AKeyUsedAgainAfterItsWindowMakesANewCommentWhetherOrNotTheOldRecordWasClearedYet()
    {
        var client = app.CreateClient();
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var first = await client.PostCommentAsync(site, new { url, body = "the first word of the week", author = new { name = "Ann" } }, idempotencyKey: "weekly");
        Assert.Equal(System.Net.HttpStatusCode.Created, first.StatusCode);

        app.Clock.Advance(TimeSpan.FromHours(25));
        var again = await client.PostCommentAsync(site, new { url, body = "a word for the next week", author = new { name = "Ann" } }, idempotencyKey: "weekly");

        Assert.Equal(System.Net.HttpStatusCode.Created, again.StatusCode);
        var ids = new List<long>();
        foreach (var response in new[] { first, again })
        {
            ids.Add(System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64());
        }
        Assert.Equal(2, ids.Distinct().Count());
        var record = await app.InDatabaseAsync(db => db.IdempotencyRecords.SingleAsync(r => r.Key == "weekly"));
        Assert.Equal(ids[1], record.CommentId);
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
