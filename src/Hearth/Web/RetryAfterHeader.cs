using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Web;

/// <summary>Sets Retry-After on a 429 made by <see cref="Problems.RetryLater"/>, as the address limiter does for its own.</summary>
public sealed class RetryAfterHeader : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        if (inner is ProblemHttpResult { StatusCode: StatusCodes.Status429TooManyRequests } problem
            && problem.ProblemDetails.Extensions.TryGetValue("retryAfter", out var seconds) && seconds is int wait)
        {
            context.HttpContext.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
        }
        return result;
    }
}
