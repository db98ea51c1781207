// Serves one thread page from memory on one route, the way Hearth's cache hit does (same bytes, same headers),
// so the difference from Hearth is what Hearth's pipeline costs on a read.
//
// Usage: BareKestrel --urls http://127.0.0.1:PORT --json FILE --br FILE [--gzip FILE] [--etag "\"...\""]
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
var app = builder.Build();

var config = app.Configuration;
var json = File.ReadAllBytes(config["json"] ?? throw new ArgumentException("--json FILE is required"));
var brotli = File.ReadAllBytes(config["br"] ?? throw new ArgumentException("--br FILE is required"));
var gzip = config["gzip"] is { } gzipPath ? File.ReadAllBytes(gzipPath) : null;
var etag = config["etag"] ?? "\"bare\"";

app.MapGet("/api/v1/sites/demo/thread", (HttpContext http) =>
{
    var response = http.Response;
    var accept = http.Request.Headers.AcceptEncoding.ToString();
    byte[] bytes = json;
    if (accept.Contains("br", StringComparison.OrdinalIgnoreCase))
    {
        bytes = brotli;
        response.Headers.ContentEncoding = "br";
    }
    else if (gzip is not null && accept.Contains("gzip", StringComparison.OrdinalIgnoreCase))
    {
        bytes = gzip;
        response.Headers.ContentEncoding = "gzip";
    }
    response.Headers.ETag = etag;
    response.Headers.CacheControl = "no-cache";
    response.Headers.Vary = "Accept-Encoding";
    response.ContentType = "application/json; charset=utf-8";
    response.ContentLength = bytes.Length;
    return response.Body.WriteAsync(bytes, http.RequestAborted).AsTask();
});

app.Run();
