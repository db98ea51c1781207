using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

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
                $"The request body is larger than the {limit / 1024} KB allowed.").ExecuteAsync(context);
            return;
        }
        if (limit != RequestLimits.MaxBodyBytes && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        await next(context);
    });
}
