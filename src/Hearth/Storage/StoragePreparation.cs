using Hearth.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hearth.Storage;

/// <summary>
/// Readies the data folder before anything reads it: creates it, backs the database up when a migration is
/// about to change it, migrates, loads the instance key, brings replies within the depth rule, and plants the demo
/// in an empty folder.
/// </summary>
public sealed class StoragePreparation(IServiceScopeFactory scopes, InstanceKey key, IOptions<HearthOptions> options,
    TimeProvider clock, ILogger<StoragePreparation> logger)
{
    public async Task RunAsync(bool seedDemo, CancellationToken ct)
    {
        var settings = options.Value;
        var path = StorageSetup.DatabasePath(settings);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var applied = (await db.Database.GetAppliedMigrationsAsync(ct)).ToList();
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (applied.Count > 0 && pending.Count > 0)
        {
            await BackUpAsync(db, path, ct);
        }
        await db.Database.MigrateAsync(ct);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        await key.LoadAsync(db, ct);
        await Identity.KeyFilesImport.RunAsync(db, settings, logger, ct);
        if (await ReplyDepthRepair.RunAsync(db, settings.MaxReplyDepth, ct) is > 0 and var moved)
        {
            logger.LogWarning("Re-attached {Count} replies nested deeper than Hearth:MaxReplyDepth ({Max}) beside the comments they answer",
                moved, settings.MaxReplyDepth);
        }

        if (seedDemo && settings.SeedDemo && !await db.Sites.AnyAsync(ct)
            && !await db.InstanceSettings.AnyAsync(s => s.Name == InstanceSetting.SitesRemoved, ct))
        {
            await DemoSeeder.SeedAsync(db, clock.GetUtcNow().UtcDateTime, scope.ServiceProvider, ct);
            logger.LogInformation("Created the demo site 'demo'; open /demo to see its thread");
        }
    }

    async Task BackUpAsync(HearthDb db, string path, CancellationToken ct)
    {
        var backup = $"{path}.{clock.GetUtcNow():yyyyMMddHHmmss}.bak";
        // VACUUM INTO makes a consistent copy even while other connections are open.
        await db.Database.ExecuteSqlRawAsync("VACUUM INTO {0}", [backup], ct);
        logger.LogInformation("Backed up the database to {Backup} before migrating it", backup);
    }
}

/// <summary>Runs the preparation when the server starts, before it accepts requests.</summary>
sealed class StorageStartup(StoragePreparation preparation) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => preparation.RunAsync(seedDemo: true, cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class StorageStartupRegistration
{
    public static IServiceCollection AddHearthStorageStartup(this IServiceCollection services) =>
        services.AddHostedService<StorageStartup>();
}
