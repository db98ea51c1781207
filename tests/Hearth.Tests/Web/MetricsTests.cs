using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Hearth.Tests.Processes;

namespace Hearth.Tests.Web;

public sealed class MetricsApp : HearthApp
{
    public const string Token = "metrics-token-for-tests";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Hearth:MetricsToken"] = Token };
}

/// <summary>/metrics speaks Prometheus' text format to the operator: with the configured token, or from this machine without a proxy.</summary>
public sealed class MetricsTests(MetricsApp app) : IClassFixture<MetricsApp>
{
    readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task WithoutTheTokenARequestThroughAProxyIsRefused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("metrics_forbidden", (await response.ProblemAsync()).GetProperty("code").GetString());

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");
        Assert.Equal(HttpStatusCode.Forbidden, (await _client.SendAsync(wrong)).StatusCode);
    }

    [Fact]
    public async Task WithTheTokenAScrapeThroughAProxyIsAnswered()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MetricsApp.Token);
        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("http_server_active_requests", text);
    }
}

public sealed class MetricsOnThisMachineTests
{
    /// <summary>
    /// On a server in a process of its own, as Hearth's other counts here: a metrics listener hears every meter of its
    /// name in the process, and this test process runs many servers, whose gauges of the same name would answer instead.
    /// </summary>
    [Fact]
    public async Task TheMailQueueAndRequestsAreMeasured()
    {
        using var data = new DataFolder();
        using var server = await HearthProcess.StartAsync(data.Path);
        Assert.Matches(@"(?m)^hearth_mail_queue_length(\{[^}]*\})? 0(\s|$)", await server.Client.GetStringAsync("/metrics"));

        // Not due for a day, so it stays queued while the gauge is read.
        await using (var db = TestDatabase.Open(data.Path))
        {
            await db.OpenAsync();
            await using var queue = db.CreateCommand();
            queue.CommandText = """
                INSERT INTO "MailQueue" ("To", "Subject", "Text", "CreatedAt", "NextAttemptAt", "Attempts") VALUES ('a@mail.example', 's', 't', @at, @at, 0)
                """;
            var at = queue.CreateParameter();
            at.ParameterName = "at";
            at.Value = DateTime.UtcNow.AddDays(1);
            queue.Parameters.Add(at);
            Assert.Equal(1, await queue.ExecuteNonQueryAsync());
        }

        // A scrape answered from a collection already under way may still carry the count from before: the next has it.
        var text = "";
        for (var i = 0; i < 20 && !Regex.IsMatch(text, @"(?m)^hearth_mail_queue_length(\{[^}]*\})? 1(\s|$)"); i++)
        {
            await Task.Delay(i * 50);
            text = await server.Client.GetStringAsync("/metrics");
        }
        Assert.Matches(@"(?m)^hearth_mail_queue_length(\{[^}]*\})? 1(\s|$)", text);
        Assert.Contains("http_server_active_requests", text);
    }

    [Fact]
    public async Task AScraperOnThisMachineReadsHearthsCountsWithoutATokenButNotThroughAProxy()
    {
        using var data = new DataFolder();
        using var server = await HearthProcess.StartAsync(data.Path);

        var page = "http://localhost:8080/demo/metrics";
        var posted = await server.Client.PostCommentAsync("demo", new { url = page, body = "Counted, as every comment is.", author = new { name = "Metric Reader" } });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        await server.Client.ThreadAsync("demo", page);
        await server.Client.ThreadAsync("demo", page);
        using var live = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/demo/live?url={Uri.EscapeDataString(page)}"),
            HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        using var direct = await server.Client.GetAsync("/metrics");
        var text = await direct.Content.ReadAsStringAsync();
        Assert.True(direct.StatusCode == HttpStatusCode.OK, $"{(int)direct.StatusCode}: {text}");
        Assert.Contains("hearth_mail_queue_length", text);
        Assert.Contains("kestrel_active_connections", text);
        Assert.Contains("http_server_request_duration_seconds_count", text);
        Assert.Matches(@"(?m)^hearth_comments_posted_total(\{[^}]*\})? 1(\s|$)", text);
        Assert.Matches(@"(?m)^hearth_thread_cache_misses_total(\{[^}]*\})? [1-9]", text);
        Assert.Matches(@"(?m)^hearth_thread_cache_hits_total(\{[^}]*\})? [1-9]", text);
        Assert.Matches(@"(?m)^hearth_live_connections(\{[^}]*\})? 1(\s|$)", text);
        Assert.Matches(@"(?m)^hearth_writes_committed_total(\{[^}]*\})? 1(\s|$)", text);
        Assert.Matches(@"(?m)^hearth_write_batches_committed_total(\{[^}]*\})? 1(\s|$)", text);
        Assert.Matches(@"(?m)^hearth_writes_waiting(\{[^}]*\})? 0(\s|$)", text);

        using var proxied = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        proxied.Headers.Add("X-Forwarded-For", "203.0.113.9");
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Client.SendAsync(proxied)).StatusCode);
    }

    [Fact]
    public async Task EachHandOutOfTheLogReportsHowFarBehindItIs()
    {
        using var data = new DataFolder();
        using var server = await HearthProcess.StartAsync(data.Path);
        var posted = await server.Client.PostCommentAsync("demo", new { url = "http://localhost:8080/demo/backlog", body = "One entry more in the log.", author = new { name = "Backlog" } });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);

        // The hand-out of followed conversations is put 4,321 entries behind the log's end. It catches up at its next
        // round (every few seconds), and a scrape may be answered from one made a moment before: whichever comes
        // between, the next try puts it behind again.
        string text = "";
        for (var attempt = 0; attempt < 20 && !BacklogLine(text, "followed", "4321"); attempt++)
        {
            await using (var db = TestDatabase.Open(data.Path))
            {
                await db.OpenAsync();
                await using var behind = db.CreateCommand();
                behind.CommandText = $"""
                    UPDATE "InstanceSettings" SET "Value" = CAST((SELECT MAX("Id") FROM "ThreadEvents") - 4321 AS TEXT)
                    WHERE "Name" = '{Hearth.Notifications.FollowedThreadsNotifier.Cursor}'
                    """;
                Assert.Equal(1, await behind.ExecuteNonQueryAsync());
            }
            await Task.Delay(attempt * 50);
            text = await server.Client.GetStringAsync("/metrics");
        }
        Assert.True(BacklogLine(text, "followed", "4321"), text);
        Assert.True(BacklogLine(text, "people", null) && BacklogLine(text, "guest-replies", null), text);
    }

    /// <summary>Whether the scrape has hearth_handout_backlog for that work (with that value, when given).</summary>
    static bool BacklogLine(string scrape, string work, string? value) => scrape.Split('\n').Any(l =>
        l.StartsWith("hearth_handout_backlog{", StringComparison.Ordinal) && l.Contains($"work=\"{work}\"", StringComparison.Ordinal)
        && (value is null || l.Split(' ')[1] == value));
}
