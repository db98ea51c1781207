using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Web;

/// <summary>
/// Every error is problem+json with a stable machine-readable "code" the widget can translate,
/// and a detail written for the person who reads it.
/// </summary>
public static class Problems
{
    public static ProblemHttpResult Of(int status, string code, string detail, string? title = null) =>
        TypedResults.Problem(
            detail: detail,
            statusCode: status,
            title: title ?? DefaultTitle(status),
            type: $"https://hearth.invalid/problems/{code}",
            extensions: new Dictionary<string, object?> { ["code"] = code });

    /// <summary>
    /// A 429 whose wait travels in the body ("retryAfter", seconds); <see cref="RetryAfterHeader"/> copies it into the
    /// Retry-After header, which a typed result cannot carry itself.
    /// </summary>
    public static ProblemHttpResult RetryLater(string code, string detail, TimeSpan wait)
    {
        var problem = Of(StatusCodes.Status429TooManyRequests, code, detail);
        problem.ProblemDetails.Extensions["retryAfter"] = (int)Math.Ceiling(wait.TotalSeconds);
        return problem;
    }

    public static ProblemHttpResult SiteNotFound(string site) =>
        Of(StatusCodes.Status404NotFound, "site_not_found", $"There is no site named '{Truncate(site)}'.");

    public static ProblemHttpResult CommentNotFound() =>
        Of(StatusCodes.Status404NotFound, "comment_not_found", "There is no such comment on this site.");

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            detail: message,
            title: "The request has invalid fields.",
            type: "https://hearth.invalid/problems/validation",
            extensions: new Dictionary<string, object?> { ["code"] = "validation" });

    static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";

    static string DefaultTitle(int status) => status switch
    {
        400 => "Bad request",
        401 => "Not signed in",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        413 => "Too large",
        422 => "Unprocessable request",
        429 => "Too many requests",
        _ => "Error",
    };
}
