using System.Net;

namespace Hearth.Tests.Live;

/// <summary>The live stream renders comments as they are now, loading those of a batch of events in one query.</summary>
public class ReplayCostTests(MeasuredHearthApp app) : IClassFixture<MeasuredHearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task ReplayingAThreadLoadsItsCommentsOnceForEachBatchOfEvents()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        for (var i = 0; i < 120; i++)
        {
            await _client.CommentAsync(site, url, $"Comment number {i}", name: $"Reader {i}");
        }

        app.Meter.Start();
        using var response = await _client.GetAsync($"/api/v1/sites/{site}/live?url={Uri.EscapeDataString(url)}&since=0",
            HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new SseReader(await response.Content.ReadAsStreamAsync());
        for (var i = 0; i < 120; i++)
        {
            var e = await reader.NextChangeAsync();
            Assert.Equal("comment.created", e.Type);
            Assert.Contains($"\"name\":\"Reader {i}\"", e.Data);
        }

        // 120 events are two batches of the log (100, then 20): two queries for their comments, not 120.
        Assert.Equal(2, app.Meter.Stop().Count(c => c.Sql.Contains("FROM \"Comments\"")));
    }
}
