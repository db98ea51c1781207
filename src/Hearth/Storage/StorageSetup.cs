using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hearth.Storage;

public static class StorageSetup
{
    public static IServiceCollection AddHearthStorage(this IServiceCollection services)
    {
        // Both contexts are registered; the setting picks which one HearthDb is, once options are read.
        services.AddDbContextPool<SqliteHearthDb>((provider, db) =>
        {
            var options = provider.GetRequiredService<IOptions<HearthOptions>>().Value;
            db.UseSqlite(ConnectionString(options)).AddInterceptors(SqlitePragmas.Instance, SqliteStatementCache.Instance);
        });
        services.AddDbContextPool<PostgresHearthDb>((provider, db) =>
        {
            var options = provider.GetRequiredService<IOptions<HearthOptions>>().Value;
            db.UseNpgsql(DatabaseAddress.ParsePostgres(options.Database!).ConnectionString);
        });
        services.AddScoped<BatchScope>();
        services.AddScoped<HearthDb>(provider => provider.GetRequiredService<BatchScope>().Db
            ?? (DatabaseAddress.IsPostgres(provider.GetRequiredService<IOptions<HearthOptions>>().Value)
                ? provider.GetRequiredService<PostgresHearthDb>()
                : provider.GetRequiredService<SqliteHearthDb>()));
        services.AddSingleton<InstanceKey>();
        services.AddSingleton<WriteGate>();
        services.AddSingleton<GroupCommit>();
        services.AddSingleton<BatchConnection>();
        services.AddSingleton<WalCheckpoints>();
        services.AddSingleton<Leases>();
        services.AddTransient<StoragePreparation>();
        return services;
    }

    public static string DatabasePath(HearthOptions options) =>
        Path.Combine(Path.GetFullPath(options.DataDirectory), "hearth.db");

    internal static string ConnectionString(HearthOptions options) => new SqliteConnectionStringBuilder
    {
        DataSource = DatabasePath(options),
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();
}
