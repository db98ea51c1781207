using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Hearth.Web;

/// <summary>
/// Requests that never reach a handler (malformed JSON, a missing body, an oversized body) still get
/// problem+json that says what was wrong, instead of an empty 400.
/// </summary>
public sealed class BadRequestExceptionHandler(ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }
        logger.LogInformation("Refused a bad request to {Path}: {Reason}", httpContext.Request.Path, bad.Message);
        var problem = bad switch
        {
            { StatusCode: StatusCodes.Status413PayloadTooLarge } => Problems.Of(413, "request_too_large",
                $"The request body is larger than the {RequestLimits.MaxBodyBytes / 1024} KB allowed."),
            { InnerException: JsonException json } => Problems.Of(400, "malformed_json",
                $"The request body is not valid JSON{(json.Path is { Length: > 1 } path ? $" at {path}" : "")}."),
            _ when bad.Message.Contains("body was not provided", StringComparison.OrdinalIgnoreCase) =>
                Problems.Of(400, "body_required", "A JSON request body is required."),
            _ when bad.Message.Contains("Content-Type", StringComparison.OrdinalIgnoreCase) =>
                Problems.Of(415, "unsupported_media_type", "Send the request body as application/json."),
            _ => Problems.Of(bad.StatusCode, "bad_request", "The request could not be read."),
        };
        await problem.ExecuteAsync(httpContext);
        return true;
    }
}

public static class RequestLimits
{
    public const long MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// Refuse an announced oversized body before reading it. Kestrel enforces the same cap on streamed bodies
    /// (see Program), this makes the answer clear and immediate.
    /// </summary>
    /// <summary>
    /// Bodies are capped at 64 KB, except where an endpoint says otherwise (a picture upload) with
    /// <see cref="IRequestSizeLimitMetadata"/>; so it runs after routing, when the endpoint is known.
    /// </summary>
    public static IApplicationBuilder UseRequestBodyCap(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? RequestLimits.MaxBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            await Problems.Of(StatusCodes.Status413PayloadTooLarge, "request_too_large",
                limit >= 1 << 20 ? $"The request body is larger than the {limit >> 20} MB allowed." : $"The request body is larger than the {limit / 1024} KB allowed.")
                .ExecuteAsync(context);
            return;
        }
        if (limit != RequestLimits.MaxBodyBytes && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        await next(context);
    });
}

/// <summary>
/// A person who opens an address that leads nowhere gets a page with a way home, not problem+json. Only a 404, only
/// when the request's Accept prefers HTML to JSON (a browser's does; fetch, curl and API clients send */* or JSON
/// and keep problem+json), and never under /api/, whose answers are JSON for everyone.
/// </summary>
public sealed class NotFoundPage : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        return (context.ProblemDetails.Status ?? http.Response.StatusCode) == StatusCodes.Status404NotFound
            && !http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            && PrefersHtml(http.Request.Headers.Accept);
    }

    /// <summary>The shell and policy of every page of Hearth's own: its one style element runs by nonce, nothing else.</summary>
    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var detail = Accounts.AccountHtml.E(context.ProblemDetails.Detail ?? "There is no page at this address.");
        var page = Accounts.AccountHtml.Page(context.HttpContext, "Not found",
            $"<p>{detail}</p><p><a href=\"/\">Go to the home page</a></p><p class=\"muted\">Error 404</p>", status: StatusCodes.Status404NotFound);
        await page.ExecuteAsync(context.HttpContext);
    }

    /// <summary>True when text/html is acceptable at a higher quality than JSON; a tie (*/*) goes to JSON.</summary>
    public static bool PrefersHtml(StringValues accept)
    {
        if (!MediaTypeHeaderValue.TryParseList(accept, out var types) || types.Count == 0)
        {
            return false;
        }
        return Quality(types, "text/html") > Math.Max(Quality(types, "application/json"), Quality(types, "application/problem+json"));
    }

    /// <summary>The quality the most specific matching range gives the type (RFC 9110 12.5.1), 0 when none does.</summary>
    static double Quality(IList<MediaTypeHeaderValue> ranges, string type)
    {
        var wanted = new MediaTypeHeaderValue(type);
        var best = ranges.Where(r => wanted.IsSubsetOf(r))
            .OrderByDescending(r => r.MatchesAllTypes ? 0 : r.MatchesAllSubTypes ? 1 : 2)
            .FirstOrDefault();
        return best is null ? 0 : best.Quality ?? 1;
    }
}
