namespace Hearth.Conversations;

/// <summary>Sends a cached page as it is: the precompressed form the client accepts, or 304 when it already has it.</summary>
public sealed class CachedJsonResult(CachedPage page, string contentType = "application/json; charset=utf-8", string cacheControl = "no-cache") : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        var response = httpContext.Response;
        response.Headers.ETag = page.ETag;
        response.Headers.CacheControl = cacheControl;
        response.Headers.Vary = "Accept-Encoding";
        if (request.Headers.IfNoneMatch == page.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        var (bytes, encoding) = AcceptEncoding.Choose(request.Headers.AcceptEncoding.ToString()) switch
        {
            ContentCoding.Brotli => (page.Brotli, "br"),
            ContentCoding.Gzip => (page.Gzip, "gzip"),
            _ => (page.Json, null),
        };
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        if (encoding is not null)
        {
            response.Headers.ContentEncoding = encoding;
        }
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes, httpContext.RequestAborted).AsTask();
    }
}
