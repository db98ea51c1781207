using Microsoft.AspNetCore.Cors.Infrastructure;

namespace Hearth.Sites;

/// <summary>Each site answers CORS for its own origins only; the list comes from the site, not from configuration.</summary>
public sealed class SiteCorsPolicyProvider(SiteDirectory sites) : ICorsPolicyProvider
{
    public const string PolicyName = "site-origins";

    public async Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        if (policyName != PolicyName || context.GetRouteValue("site") is not string name)
        {
            return null;
        }
        var origins = await sites.OriginsAsync(name, context.RequestAborted);
        var policy = new CorsPolicyBuilder()
            .WithOrigins([.. origins])
            // PUT: following and muting a conversation or a person, and mail choices, from the widget on the site's pages.
            .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
            .WithHeaders("Content-Type", "Idempotency-Key", "X-Edit-Token", "Authorization", "Last-Event-ID")
            .WithExposedHeaders("ETag", "Retry-After", "Location")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))
            .Build();
        return policy;
    }
}
