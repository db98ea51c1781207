using System.Security.Cryptography;

namespace Hearth.Web;

/// <summary>
/// The headers of what Hearth serves on its own origin. Every HTML page gets one strict policy: nothing runs or
/// loads unless it comes from Hearth itself or carries this response's nonce, no page may frame it, and no
/// &lt;base&gt; can redirect its links. Every other response (JSON, files, a browser's 404) carries a policy that
/// allows nothing, so whatever a browser might take for a page there is inert. The widget's host pages are the
/// sites' own and are none of this.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>For responses that are not pages: nothing may run, load, frame them or be posted from them.</summary>
    public const string NothingPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>
    /// Sets the page policy and returns its nonce for the page's inline style and script tags. <paramref name="scripts"/>
    /// and <paramref name="styles"/> add sources ("'self'") for a page that loads Hearth's own files without a nonce,
    /// such as the widget, whose script adds more script and a stylesheet in a shadow root.
    /// </summary>
    public static string Protect(HttpContext http, string scripts = "", string styles = "")
    {
        var nonce = NewNonce();
        Apply(http, Policy($"'nonce-{nonce}'{Space(scripts)}", $"'nonce-{nonce}'{Space(styles)}"));
        return nonce;
    }

    /// <summary>Sets a page policy made with <see cref="Policy"/>, and the headers that go with it.</summary>
    public static void Apply(HttpContext http, string policy)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = policy;
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Content-Type-Options"] = "nosniff";
    }

    public static string NewNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    /// <summary>The page policy with these script and style sources; the rest is the same for every page.</summary>
    public static string Policy(string scripts, string styles) =>
        $"default-src 'none'; style-src {styles}; script-src {scripts}; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Gives every response that set no policy of its own the one that allows nothing.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        // Every request passes here, the cached thread read among them: a static callback allocates no closure.
        http.Response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            if (!headers.ContainsKey("Content-Security-Policy"))
            {
                headers.ContentSecurityPolicy = NothingPolicy;
            }
            headers.XContentTypeOptions = "nosniff";
            return Task.CompletedTask;
        }, http.Response);
        return next(http);
    });

    static string Space(string sources) => sources.Length == 0 ? "" : " " + sources;
}
