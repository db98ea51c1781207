using Hearth.Web;

namespace Hearth.Sites;

/// <summary>
/// Every /sites/{site}/ endpoint: an unknown site is a 404, and a browser request from a page outside the
/// site's origins is a 403, so a stranger's page cannot post in a site's name.
/// </summary>
public sealed class SiteEndpointFilter(SiteDirectory sites, SiteRefusalLog refusals) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var name = http.GetRouteValue("site") as string ?? "";
        var site = await sites.FindAsync(name, http.RequestAborted);
        var origin = http.Request.Headers.Origin.ToString();
        var fromPage = origin.Length > 0 && !IsOwnOrigin(http.Request, origin);
        if (site is null)
        {
            if (fromPage)
            {
                Readable(http);
                refusals.UnknownSite(name, origin);
            }
            return Problems.SiteNotFound(name);
        }
        // Reads too: a page outside the origins could never read the answer (CORS), and it now learns why in words
        // the widget shows, instead of a network error that looks like a server that is down.
        if (fromPage && !await sites.AllowsOriginAsync(name, origin, http.RequestAborted))
        {
            Readable(http);
            refusals.OriginNotAllowed(site, origin);
            return Problems.Of(StatusCodes.Status403Forbidden, "origin_not_allowed",
                $"Pages on {Shorten(origin)} may not use the site '{site.Name}'. The site's owner decides which origins may.");
        }
        http.Items[typeof(Site)] = site;
        return await next(context);
    }

    /// <summary>A refusal carries nothing of the site, so any page may read it: the widget says what is wrong.</summary>
    static void Readable(HttpContext http)
    {
        http.Response.Headers.AccessControlAllowOrigin = "*";
        http.Response.Headers.Append("Vary", "Origin");
    }

    static bool IsOwnOrigin(HttpRequest request, string origin) =>
        string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);

    static string Shorten(string origin) => origin.Length <= 100 ? origin : origin[..100] + "…";
}

public static class SiteHttpContext
{
    /// <summary>The site resolved by <see cref="SiteEndpointFilter"/> for this request.</summary>
    public static Site Site(this HttpContext http) => (Site)http.Items[typeof(Site)]!;
}
