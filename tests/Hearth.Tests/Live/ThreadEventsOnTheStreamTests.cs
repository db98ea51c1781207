using System.Net;
using System.Text.Json;
using Hearth.Tests.ManyNodes;
using Hearth.Tests.Moderation;

namespace Hearth.Tests.Live;

/// <summary>
/// A lock and an unlock take places in the thread's log (so every node sees its pages are behind) but the live stream
/// keeps to its contract: comment.created, comment.updated and comment.deleted only, live or replayed.
/// </summary>
public sealed class ThreadEventsOnTheStreamTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task ALockTakesAPlaceInTheLogButIsNotSentToReaders()
    {
        var (site, token) = await app.SiteWithModeratorAsync();
        var url = ApiCalls.NewPageUrl();
        await _client.CommentAsync(site, url, "before the lock");
        var threadId = (await _client.ThreadAsync(site, url)).GetProperty("thread").GetProperty("id").GetInt64();
        var (response, reader) = await TwoNodes.OpenAsync(_client, site, url);
        using (response)
        using (reader)
        {
            foreach (var action in new[] { "lock", "unlock" })
            {
                using var changed = await _client.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/threads/{threadId}/{action}");
                Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
            }
            var after = await _client.CommentAsync(site, url, "after the unlock");

            var e = await reader.NextChangeAsync();
            Assert.Equal("comment.created", e.Type);
            Assert.Equal(after.Id(), JsonDocument.Parse(e.Data).RootElement.GetProperty("id").GetInt64());
            // Created is 1, the lock 2, the unlock 3.
            Assert.Equal("4", e.Id);
        }

        var (replayed, replay) = await TwoNodes.OpenAsync(_client, site, url, lastEventId: "1");
        using (replayed)
        using (replay)
        {
            var e = await replay.NextChangeAsync();
            Assert.Equal("comment.created", e.Type);
            Assert.Equal("4", e.Id);
        }
    }
}
