namespace Hearth.Portability;

public static class PortabilitySetup
{
    public static IServiceCollection AddPortability(this IServiceCollection services) => services.AddScoped<CommentImport>().AddSingleton<ExportSlot>()
        .AddSingleton<ImportRunner>().AddHostedService(services => services.GetRequiredService<ImportRunner>())
        .AddHostedService<StoppedImportCleanup>();
}
