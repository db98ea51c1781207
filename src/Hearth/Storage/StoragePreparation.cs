using Hearth.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hearth.Storage;

/// <summary>
/// Readies the data folder before anything reads it: creates it, backs the database up when a migration is
/// about to change it, migrates, loads the instance key, hashes addresses kept in ip bans, brings replies within the
/// depth rule, counts the people of comments stored before people were kept, and plants the demo in an empty folder.
/// </summary>
public sealed class StoragePreparation(IServiceScopeFactory scopes, InstanceKey key, IOptions<HearthOptions> options,
    TimeProvider clock, ILogger<StoragePreparation> logger)
{
    public async Task RunAsync(bool seedDemo, CancellationToken ct)
    {
        var settings = options.Value;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        await MigrateAsync(db, ct);
        await key.LoadAsync(db, ct);
        await Identity.KeyFilesImport.RunAsync(db, settings, logger, ct);
        await Identity.SsoSiteBackfill.RunAsync(db, ct);
        var (hashedBans, sealedBans) = await Moderation.IpBanRepair.RunAsync(db, key, ct);
        if (hashedBans + sealedBans > 0)
        {
            logger.LogWarning("Replaced the text kept in {Count} ip bans: {Hashed} by their address's hash, {Sealed} that name no single address by a hash that matches nobody, as before",
                hashedBans + sealedBans, hashedBans, sealedBans);
        }
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
        if (seedDemo)
        {
            // A server without an admin tells whoever reads its log how to make one in the browser.
            await Accounts.SetupCodes.OfferAsync(db, logger, ct);
        }
        // After the demo, whose comments are written without the post path: its people are counted here too.
        if (await People.PeopleBackfill.RunAsync(db, ct) is > 0 and var people)
        {
            logger.LogInformation("Counted {Count} people from the comments already stored", people);
        }
        // Levels earned before they were kept, or under other thresholds: only when the thresholds differ from those
        // the levels were last set with, since setting them reads every person of every site.
        var thresholds = settings.Trust.LevelThresholds();
        if (await db.InstanceSettings.AsNoTracking().Where(s => s.Name == InstanceSetting.TrustThresholds).Select(s => s.Value).FirstOrDefaultAsync(ct) != thresholds)
        {
            if (await People.TrustLevels.RecomputeAsync(db, settings.Trust, clock.GetUtcNow().UtcDateTime, ct) is > 0 and var levels)
            {
                logger.LogInformation("Set the trust level of {Count} people from their counters", levels);
            }
            // Two nodes starting together both write the same value.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "InstanceSettings" ("Name", "Value") VALUES ({InstanceSetting.TrustThresholds}, {thresholds})
                ON CONFLICT ("Name") DO UPDATE SET "Value" = "excluded"."Value"
                """, ct);
        }
    }

    /// <summary>Applies the migrations the database lacks and returns their names, in order.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(HearthDb db, CancellationToken ct)
    {
        // Keys (and, without a mail server, the outbox) stay in the data folder on either engine.
        Directory.CreateDirectory(Path.GetFullPath(options.Value.DataDirectory));
        var applied = (await db.Database.GetAppliedMigrationsAsync(ct)).ToList();
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (db.Database.IsSqlite())
        {
            if (applied.Count > 0 && pending.Count > 0)
            {
                await BackUpAsync(db, StorageSetup.DatabasePath(options.Value), ct);
            }
            await db.Database.MigrateAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
        else
        {
            // A PostgreSQL server is backed up by its operator (pg_dump, base backups). Migrations run in transactions
            // under EF Core's migration lock, so nodes starting together do not apply one twice.
            await db.Database.MigrateAsync(ct);
        }
        return pending;
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
