using System.Collections.Concurrent;
using System.Net;
using Hearth.Sites;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hearth.Tests.Web;

/// <summary>A page that embeds a site wrongly is refused in words it can read, and the owner is told the fix in the log.</summary>
public class SiteRefusalLogTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task AnUnknownSiteAndADisallowedOriginAreLoggedAtWarningWithTheFixingCommand()
    {
        var log = Capture();
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        app.Clock.Advance(TimeSpan.FromMinutes(1)); // a minute of its own: the other test may have used this one up

        var unknown = await GetAsync("no-such-site-" + Guid.NewGuid().ToString("N")[..6], "https://shop.example");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("site_not_found", (await unknown.ProblemAsync()).GetProperty("code").GetString());
        Assert.Equal("*", unknown.Headers.GetValues("Access-Control-Allow-Origin").Single());

        var foreign = await GetAsync(site, "https://shop.example");
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal("origin_not_allowed", (await foreign.ProblemAsync()).GetProperty("code").GetString());

        Assert.Contains(log, e => e.Level == LogLevel.Warning && e.Text.Contains("Create it with: hearth sites add no-such-site-") && e.Text.Contains("--origin https://shop.example"));
        Assert.Contains(log, e => e.Level == LogLevel.Warning
            && e.Text.Contains($"Allow it with: hearth sites set {site} --origin https://blog.example --origin https://shop.example"));

        // The site's own page and a server without an Origin header are answered as before, and not logged.
        var before = log.Count;
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(site, "https://blog.example")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(site, null)).StatusCode);
        Assert.Equal(before, log.Count);
    }

    [Fact]
    public async Task AFloodOfRefusalsWritesOnlyAFewWarningsAMinute()
    {
        var log = Capture();
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        for (var i = 0; i < SiteRefusalLog.PerMinute + 15; i++)
        {
            await GetAsync(site, $"https://flood{i}.example");
        }
        Assert.Equal(SiteRefusalLog.PerMinute, log.Count(e => e.Text.Contains("hearth sites set")));

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await GetAsync(site, "https://later.example");
        Assert.Contains(log, e => e.Text.Contains("--origin https://later.example"));
    }

    Task<HttpResponseMessage> GetAsync(string site, string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString("https://blog.example/p/1")}");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        return _client.SendAsync(request);
    }

    ConcurrentQueue<(LogLevel Level, string Text)> Capture()
    {
        var provider = new CapturingProvider();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(provider);
        return provider.Entries;
    }

    sealed class CapturingProvider : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, string Text)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) =>
            categoryName == typeof(SiteRefusalLog).FullName ? new Logger(Entries) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void Dispose()
        {
        }

        sealed class Logger(ConcurrentQueue<(LogLevel, string)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
