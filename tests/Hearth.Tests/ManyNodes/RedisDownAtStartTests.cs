using System.Net;
using Hearth.Tests.Live;

namespace Hearth.Tests.ManyNodes;

/// <summary>A node configured with Redis starts and serves while Redis is down, and joins in when it comes up.</summary>
[Collection(TwoNodes.Collection)]
public sealed class RedisDownAtStartTests : IAsyncLifetime
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), "hearth-tests", Guid.NewGuid().ToString("N"));
    readonly RedisServer _redis = new();
    Node _node = null!;

    public Task InitializeAsync()
    {
        _node = new Node(_folder, _redis.Address);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ANodeServesWithoutRedisAndHearsChangesOnceItIsUp()
    {
        var client = _node.CreateClient();
        var site = await _node.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var first = await client.CommentAsync(site, url, "written while Redis is down");
        // Serving alone: degraded, not down, so a load balancer keeps it.
        var health = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Degraded", await health.Content.ReadAsStringAsync());
        Assert.Equal(first.Id(), (await client.ThreadAsync(site, url)).GetProperty("comments")[0].Id());

        await _redis.RunAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (await (await client.GetAsync("/healthz", timeout.Token)).Content.ReadAsStringAsync(timeout.Token) != "Healthy")
            {
                await Task.Delay(100, timeout.Token);
            }
        }
        var (response, reader) = await TwoNodes.OpenAsync(client, site, url);
        using (response)
        using (reader)
        {
            var second = await client.CommentAsync(site, url, "written once it is up");
            Assert.Equal(second.Id(), System.Text.Json.JsonDocument.Parse((await reader.NextChangeAsync(TimeSpan.FromSeconds(30))).Data).RootElement.GetProperty("id").GetInt64());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}")).StatusCode);
        }
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _redis.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
