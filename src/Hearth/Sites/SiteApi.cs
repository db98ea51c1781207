namespace Hearth.Sites;

public static class SiteApi
{
    /// <summary>
    /// The public API of one site. Every route under it resolves the site, refuses writes from foreign pages
    /// and answers CORS for the site's own origins.
    /// </summary>
    public static RouteGroupBuilder MapSiteApi(this IEndpointRouteBuilder app) =>
        app.MapGroup("/api/v1/sites/{site}")
            .WithTags("Conversations")
            .AddEndpointFilter<SiteEndpointFilter>()
            .RequireCors(SiteCorsPolicyProvider.PolicyName);
}
