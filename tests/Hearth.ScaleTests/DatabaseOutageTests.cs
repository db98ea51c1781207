using System.Net;
using Hearth.Tests;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Hearth.ScaleTests;

/// <summary>
/// The database goes away under both nodes, as a restart or a failover takes it: they say so (a load balancer's health
/// check, a client's 503 with Retry-After) instead of failing with 500, keep running, lose nothing acknowledged, and
/// serve again by themselves once it is back.
/// </summary>
[Collection(InstanceCollection.Name)]
public sealed class DatabaseOutageTests(Instance instance, ITestOutputHelper output)
{
    [Fact]
    public async Task WhileTheDatabaseIsDownBothNodesAnswer503AndTheyServeAgainWhenItReturns()
    {
        await instance.ReadyAsync();
        var site = await instance.NewSiteAsync();
        var url = Api.NewPageUrl();
        var before = (await instance.A.Client.CommentAsync(site, url, "before the outage")).Id();
        var nodes = instance.Nodes.ToArray();
        foreach (var node in nodes)
        {
            await node.Client.FirstPageAsync(site, url);
        }

        TestDatabase.StopServer();
        try
        {
            // Long enough for each node's memory of the site to need the database again (SiteDirectory keeps it ten
            // seconds): what it knew must carry it through the outage.
            await Task.Delay(TimeSpan.FromSeconds(11));
            foreach (var node in nodes)
            {
                using var health = await node.Client.GetAsync("/healthz");
                Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), (health.StatusCode, await health.Content.ReadAsStringAsync()));

                using var post = await node.Client.SendAsync(HttpMethod.Post, $"/api/v1/sites/{site}/comments",
                    new { url, body = $"while the database is away, to {node.Name}", author = new { name = "Guest" } });
                var problem = await Api.Json(post, HttpStatusCode.ServiceUnavailable, $"posting to {node} without a database");
                Assert.Equal("database_unavailable", problem.GetProperty("code").GetString());
                Assert.Equal(TimeSpan.FromSeconds(5), post.Headers.RetryAfter?.Delta);

                // A page the node holds goes on being read; one it does not hold needs the database.
                var held = await node.Client.FirstPageAsync(site, url);
                Assert.Equal([before], held.GetProperty("comments").EnumerateArray().Select(c => c.Id()));

                using var read = await node.Client.GetAsync($"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(Api.NewPageUrl())}");
                Assert.Equal("database_unavailable", (await Api.Json(read, HttpStatusCode.ServiceUnavailable, "reading")).GetProperty("code").GetString());
                Assert.Equal(0, node.Answers.GetValueOrDefault(500));

                // The operator's view still answers: the node's own counts, without the gauges that live in the database.
                var metrics = await node.Client.GetStringAsync("/metrics");
                Assert.Contains(metrics.Split('\n'), l => l.StartsWith("hearth_writes_waiting", StringComparison.Ordinal));
                Assert.DoesNotContain(metrics.Split('\n'), l => l.StartsWith("hearth_mail_queue_length", StringComparison.Ordinal));
            }
        }
        finally
        {
            TestDatabase.RestartServer();
        }

        // Back by themselves: no node restarted, each healthy again and taking writes (a client that met a 503 sends again).
        var after = new List<long>();
        foreach (var node in nodes)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((await node.Client.GetAsync("/healthz")).StatusCode != HttpStatusCode.OK)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{node} was not healthy a minute after the database returned.");
                await Task.Delay(200);
            }
            using var post = await node.Client.SendAsync(HttpMethod.Post, $"/api/v1/sites/{site}/comments",
                new { url, body = $"after the outage, to {node.Name}", author = new { name = "Guest" } });
            after.Add((await Api.Json(post, HttpStatusCode.Created, $"posting to {node} after the outage")).Id());
            Assert.False(node.Process!.Process.HasExited);
            Assert.Equal(0, node.Answers.GetValueOrDefault(500));
        }

        await using var db = instance.OpenDatabase();
        var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
        var stored = await db.Comments.Where(c => c.SiteId == siteId).OrderBy(c => c.Id).Select(c => c.Id).ToListAsync();
        Assert.Equal([before, .. after], stored);
        foreach (var node in nodes)
        {
            var (thread, comments) = await node.Client.WholeThreadAsync(site, url);
            Assert.Equal(3, thread.GetProperty("commentCount").GetInt32());
            Assert.Equal(stored, comments.Select(c => c.Id()).ToList());
        }
        output.WriteLine(string.Join(", ", nodes.Select(n => $"{n}: {string.Join(" ", n.Answers.OrderBy(a => a.Key).Select(a => $"{a.Key}×{a.Value}"))}")));
    }
}
