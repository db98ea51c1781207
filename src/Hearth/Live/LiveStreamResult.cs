using Hearth.Conversations;
using Microsoft.AspNetCore.Http.Features;

namespace Hearth.Live;

/// <summary>
/// A live stream as the response: the headers of a Server-Sent Events response, then <see cref="LiveStream"/> writing its
/// events' bytes straight into the connection's pipe, without a per-stream formatter or a stream wrapper in between.
/// </summary>
public sealed class LiveStreamResult(LiveStream stream, long siteId, ThreadAddress address, long? after) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => "text/event-stream";

    public Task ExecuteAsync(HttpContext http)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache,no-store";
        response.Headers.Pragma = "no-cache";
        // Compressing would hold events back until a block fills.
        response.Headers.ContentEncoding = "identity";
        // Proxies such as nginx buffer responses by default, which would deliver events in bursts.
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.GetRequiredFeature<IHttpResponseBodyFeature>().DisableBuffering();
        return stream.WriteAsync(response.BodyWriter, siteId, address, after, http.RequestAborted);
    }
}
