using Microsoft.AspNetCore.Cors.Infrastructure;

namespace Hearth.Sites;

public static class SitesSetup
{
    public static IServiceCollection AddSites(this IServiceCollection services)
    {
        services.AddSingleton<SiteDirectory>();
        services.AddSingleton<SiteRefusalLog>();
        services.AddScoped<TeamChanges>();
        services.AddHostedService<TeamInviteCleanup>();
        services.AddCors();
        services.AddSingleton<ICorsPolicyProvider, SiteCorsPolicyProvider>();
        return services;
    }
}
