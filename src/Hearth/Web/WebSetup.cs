using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace Hearth.Web;

/// <summary>The HTTP plumbing every feature shares: limits, errors, logs, CORS, rate limits, the API description.</summary>
public static class WebSetup
{
    public const string DefaultUrl = "http://localhost:8080";

    public static WebApplicationBuilder AddHearthWeb(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (configuration["urls"] is null && configuration["http_ports"] is null && configuration["https_ports"] is null)
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        // A build (dotnet run) serves the widget from the source folder through this manifest; a publish has its own copy.
        builder.WebHost.UseStaticWebAssets();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = RequestLimits.MaxBodyBytes;
        });
        // SQLite's asynchronous calls run synchronously: a commit waiting on the disk holds a pool thread. With the
        // default of one thread per core, two slow commits on a small machine would hold up every cached read behind
        // them until the pool grows, which it does slowly.
        ThreadPool.GetMinThreads(out var workers, out var completions);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), completions);
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // Before AddProblemDetails: the first writer that accepts a problem writes it.
        builder.Services.AddSingleton<Microsoft.AspNetCore.Http.IProblemDetailsWriter, NotFoundPage>();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, HearthJson.Default);
            json.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        });
        builder.Services.AddHttpLogging(logging =>
        {
            logging.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath
                | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            logging.CombineLogs = true;
        });
        builder.Services.AddHearthRateLimits();
        builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Hearth API";
            document.Info.Description = "Conversations for any web page. Errors are application/problem+json with a stable 'code'.";
            // The reference opens at its first tag: the conversations, what most readers come for, rather than whichever
            // tag's path sorts first (/api/v1/explore is "Community").
            if (document.Tags is { Count: > 1 } tags)
            {
                document.Tags = new HashSet<Microsoft.OpenApi.OpenApiTag>(tags.OrderBy(t => t.Name == "Conversations" ? 0 : 1));
            }
            return Task.CompletedTask;
        }));
        // /healthz answers Healthy only when every check is: the database (503 without it) and Redis when configured (a
        // node without it is Degraded, still 200: it serves alone).
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database").AddCheck<RedisHealthCheck>("redis");
        builder.Services.AddHearthMetrics();
        builder.Services.AddHearthStorageStartup();
        return builder;
    }

    public static WebApplication UseHearthWeb(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<HearthOptions>>().Value;
        app.UseSecurityHeaders();
        if (options.TrustForwardedHeaders)
        {
            app.UseForwardedHeaders(TrustedProxies.Options(options)!);
        }
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseHttpLogging();
        app.UseRouting();
        app.UseRequestBodyCap();
        app.UseCors();
        app.UseAuthentication();
        app.UseAntiforgery();
        app.UseRateLimiter();

        app.MapOpenApi();
        app.MapScalarApiReference((scalar, http) =>
        {
            // Hearth's page policy, with the reference's own files, and the styles it writes into the page as it
            // draws (some in tags without a nonce, some in style attributes; a nonce in style-src would turn
            // 'unsafe-inline' off). The page shows nothing anyone but Hearth wrote. It loads nothing from anyone
            // else: no fonts from a CDN, no telemetry, no AI agent, no proxy for "try it" requests (they go here).
            var nonce = SecurityHeaders.NewNonce();
            scalar.WithNonce(nonce);
            SecurityHeaders.Apply(http, SecurityHeaders.Policy($"'nonce-{nonce}' 'self'", "'self' 'unsafe-inline'"));
            scalar.DisableDefaultFonts().DisableTelemetry().DisableAgent().DisableMcp();
        });
        app.MapHealthChecks("/healthz");
        app.MapHearthMetrics();
        return app;
    }
}
