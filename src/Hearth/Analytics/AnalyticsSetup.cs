namespace Hearth.Analytics;

public static class AnalyticsSetup
{
    public static IServiceCollection AddAnalytics(this IServiceCollection services) => services
        .AddScoped<SiteAnalytics>()
        .AddSingleton<ViewCounter>()
        .AddHostedService<ViewFlush>()
        .AddHostedService<ReportWarmUp>();
}
