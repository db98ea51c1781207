using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Hearth.Web;

/// <summary>
/// /metrics, in Prometheus' text format, through OpenTelemetry. Who may read it: a request that carries
/// Hearth:MetricsToken as a bearer token, or, without one, a request made on this machine straight to Hearth (from
/// loopback, with no proxy's forwarding headers), so a Prometheus beside the server needs no secret while visitors
/// coming through a reverse proxy get 403.
/// </summary>
public static class MetricsSetup
{
    public const string Path = "/metrics";

    public static IServiceCollection AddHearthMetrics(this IServiceCollection services)
    {
        services.AddSingleton<HearthMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(HearthMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            // Every scrape measures afresh: a scraper asks every few seconds at most, and a cached answer would hide a change just made.
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    public static WebApplication MapHearthMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (http, next) =>
        {
            if (MayRead(http, http.RequestServices.GetRequiredService<IOptions<HearthOptions>>().Value.MetricsToken))
            {
                await next(http);
                return;
            }
            await Problems.Of(StatusCodes.Status403Forbidden, "metrics_forbidden",
                "Send Hearth:MetricsToken as a bearer token, or ask from this machine without a proxy in between.").ExecuteAsync(http);
        }), optionsName: null);
        return app;
    }

    static bool MayRead(HttpContext http, string? token)
    {
        if (token is { Length: > 0 } && http.Request.Headers.Authorization.ToString() is { } header
            && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()), Encoding.UTF8.GetBytes(token));
        }
        var headers = http.Request.Headers;
        // A proxy in front sets these (and the forwarded-headers step keeps the original as X-Original-For).
        var forwarded = headers.ContainsKey("X-Forwarded-For") || headers.ContainsKey("X-Original-For") || headers.ContainsKey("Forwarded");
        return !forwarded && http.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address);
    }
}
