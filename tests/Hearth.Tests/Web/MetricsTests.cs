using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Hearth.Mail;
using Hearth.Tests.Processes;

namespace Hearth.Tests.Web;

public sealed class MetricsApp : HearthApp
{
    public const string Token = "metrics-token-for-tests";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Hearth:MetricsToken"] = Token };
}

/// <summary>/metrics speaks Prometheus' text format to the operator: with the configured token, or from this machine without a proxy.</summary>
public sealed partial class MetricsTests(MetricsApp app) : IClassFixture<MetricsApp>
{
    readonly HttpClient _client = app.CreateClient();

    async Task<string> ScrapeAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MetricsApp.Token);
        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return text;
    }

    /// <summary>The sample's value; a counter nothing has counted yet is not written at all, which reads as 0 when allowed.</summary>
    static double Value(string scrape, string name, bool absentIsZero = false)
    {
        var line = scrape.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal) || l.StartsWith(name + "{", StringComparison.Ordinal));
        if (line is null && absentIsZero)
        {
            return 0;
        }
        Assert.True(line is not null, $"No {name} in:\n{scrape}");
        return double.Parse(SampleValue().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    static IEnumerable<double> Values(string scrape, string name) => scrape.Split('\n')
        .Where(l => l.StartsWith(name + " ", StringComparison.Ordinal) || l.StartsWith(name + "{", StringComparison.Ordinal))
        .Select(l => double.Parse(SampleValue().Match(l).Groups[1].Value, CultureInfo.InvariantCulture))
        .DefaultIfEmpty(0);

    [Fact]
    public async Task CommentsCacheHitsAndMissesLiveStreamsRequestsAndTheMailQueueAreCounted()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        await app.InDatabaseAsync(async db =>
        {
            // Not due for a day, so it stays queued while the test reads the gauge.
            var later = app.Clock.GetUtcNow().UtcDateTime.AddDays(1);
            db.Set<QueuedMail>().Add(new QueuedMail { To = "a@mail.example", Subject = "s", Text = "t", CreatedAt = later, NextAttemptAt = later });
            return await db.SaveChangesAsync();
        });
        var before = await ScrapeAsync();

        await _client.CommentAsync(site, url, "Counted");
        await _client.ThreadAsync(site, url);
        await _client.ThreadAsync(site, url);
        using var live = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/live?url={Uri.EscapeDataString(url)}"),
            HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        var after = await ScrapeAsync();
        Assert.True(Value(after, "hearth_comments_posted_total") >= Value(before, "hearth_comments_posted_total", absentIsZero: true) + 1, after);
        Assert.True(Value(after, "hearth_thread_cache_misses_total") >= 1, after);
        Assert.True(Value(after, "hearth_thread_cache_hits_total") >= 1, after);
        Assert.True(Value(after, "hearth_live_connections") >= 1, after);
        // The test process runs many servers, and a metrics listener hears every meter of its name in the process: the
        // gauge may be written once per server, this one's among them.
        Assert.True(Values(after, "hearth_mail_queue_length").Max() >= 1, after);
        Assert.True(Value(after, "http_server_request_duration_seconds_count") > 0, after);
    }

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

    [GeneratedRegex(@"\s(\S+)(\s\d+)?\s*$")]
    private static partial Regex SampleValue();
}

[Collection(ProcessesCollection.Name)]
public sealed class MetricsOnThisMachineTests
{
    [Fact]
    public async Task AScraperOnThisMachineReadsMetricsWithoutATokenButNotThroughAProxy()
    {
        using var data = new DataFolder();
        using var server = await HearthProcess.StartAsync(data.Path);

        using var direct = await server.Client.GetAsync("/metrics");
        var text = await direct.Content.ReadAsStringAsync();
        Assert.True(direct.StatusCode == HttpStatusCode.OK, $"{(int)direct.StatusCode}: {text}");
        Assert.Contains("hearth_mail_queue_length", text);
        Assert.Contains("kestrel_active_connections", text);
        Assert.Contains("http_server_request_duration_seconds_count", text);

        using var proxied = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        proxied.Headers.Add("X-Forwarded-For", "203.0.113.9");
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Client.SendAsync(proxied)).StatusCode);
    }
}
