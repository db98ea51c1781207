using Hearth.Web;

namespace Hearth.Sites;

/// <summary>
/// Every /sites/{site}/ endpoint: an unknown site is a 404, and a browser write from a page outside the
/// site's origins is a 403, so a stranger's page cannot post in a site's name.
/// </summary>
public sealed class SiteEndpointFilter(SiteDirectory sites) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var name = http.GetRouteValue("site") as string ?? "";
        var site = await sites.FindAsync(name, http.RequestAborted);
        if (site is null)
        {
            return Problems.SiteNotFound(name);
        }
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
            && http.Request.Headers.Origin is { Count: > 0 } origin
            && !IsOwnOrigin(http.Request, origin.ToString())
            && !await sites.AllowsOriginAsync(name, origin.ToString(), http.RequestAborted))
        {
            return Problems.Of(StatusCodes.Status403Forbidden, "origin_not_allowed",
                $"Pages on {Shorten(origin.ToString())} may not write to the site '{site.Name}'. The site's owner decides which origins may.");
        }
        http.Items[typeof(Site)] = site;
        return await next(context);
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
