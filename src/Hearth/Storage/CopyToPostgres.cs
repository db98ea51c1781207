using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Hearth.Cli;
using Hearth.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Hearth.Storage;

/// <summary>
/// hearth copy --to postgres://...: moves a whole SQLite instance (the data folder's hearth.db) into an empty PostgreSQL
/// database, table by table through the model (so every type converts as Hearth itself would write it), then
/// compares the rows of every table on both sides. The keys (Data Protection's, and the instance key) are rows of the
/// database like the rest and are copied with it: a server started with HEARTH_DATABASE set to the new address reads
/// the same single sign-on secrets and accepts the same sign-ins.
/// </summary>
public static class CopyToPostgres
{
    const int Batch = 1000;

    public static Command Create()
    {
        var to = new Option<string>("--to")
        {
            Description = "The empty PostgreSQL database to copy into: postgres://user:password@host:port/database.",
            Required = true,
        };
        var command = new Command("copy",
            "Copy this data folder's SQLite database into an empty PostgreSQL database, then compare the rows of every table.")
        {
            to,
            CliHost.DataOption(),
        };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, prepareStorage: false, async (services, output) =>
        {
            var (connection, error) = DatabaseAddress.ParsePostgres(parse.GetValue(to)!);
            if (connection is null)
            {
                return output.Fail($"--to must be postgres://user:password@host:port/database: {error}.");
            }
            var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HearthOptions>>().Value;
            if (!File.Exists(StorageSetup.DatabasePath(options)))
            {
                return output.Fail($"There is no SQLite database in {Path.GetFullPath(options.DataDirectory)} to copy.");
            }
            var source = services.GetRequiredService<SqliteHearthDb>();
            await services.GetRequiredService<StoragePreparation>().MigrateAsync(source, ct);
            await using var target = Target(connection, services);
            await target.Database.MigrateAsync(ct);

            var tables = InOrder(source.Model);
            foreach (var entity in tables)
            {
                if (await CountAsync(target, entity, ct) > 0)
                {
                    return output.Fail($"The PostgreSQL database is not empty (table {entity.GetTableName()} has rows): copy only into a new database.");
                }
            }
            var counts = new Dictionary<string, (long Source, long Target)>();
            foreach (var entity in tables)
            {
                var copied = await CopyAsync(source, target, entity, ct);
                Console.Error.WriteLine($"hearth: {entity.GetTableName()}: {copied} rows");
            }
            await RestartIdentitiesAsync(target, tables, ct);
            foreach (var entity in tables)
            {
                counts[entity.GetTableName()!] = (await CountAsync(source, entity, ct), await CountAsync(target, entity, ct));
            }
            output.Json(JsonSerializer.Serialize(counts.ToDictionary(c => c.Key, c => c.Value.Target)));
            var different = counts.Where(c => c.Value.Source != c.Value.Target).Select(c => $"{c.Key} ({c.Value.Source} here, {c.Value.Target} there)").ToList();
            return different.Count == 0
                ? 0
                : output.Fail($"The copy differs in rows from the original: {string.Join(", ", different)}.");
        }, ct));
        return command;
    }

    static PostgresHearthDb Target(string connection, IServiceProvider services)
    {
        // Identity reads its table layout from the application's IdentityOptions, as the server's contexts do.
        var identity = new ServiceCollection().Configure<IdentityOptions>(IdentitySetup.ConfigureStores).BuildServiceProvider();
        return new PostgresHearthDb(new DbContextOptionsBuilder<PostgresHearthDb>().UseNpgsql(connection)
            .UseApplicationServiceProvider(identity).Options);
    }

    /// <summary>The tables, each after the tables its rows refer to (rows referring to their own table come in key order).</summary>
    static List<IEntityType> InOrder(IModel model)
    {
        var entities = model.GetEntityTypes().Where(e => e.GetTableName() is not null && e.FindPrimaryKey() is not null && !e.IsOwned() && e.BaseType is null).ToList();
        var ordered = new List<IEntityType>();
        var placed = new HashSet<IEntityType>();
        while (ordered.Count < entities.Count)
        {
            var ready = entities.Where(e => !placed.Contains(e) && e.GetForeignKeys()
                .All(fk => fk.PrincipalEntityType.GetRootType() == e || placed.Contains(fk.PrincipalEntityType.GetRootType())))
                .OrderBy(e => e.GetTableName(), StringComparer.Ordinal).ToList();
            if (ready.Count == 0)
            {
                throw new InvalidOperationException("The tables refer to each other in a circle; they cannot be copied in order.");
            }
            ordered.AddRange(ready);
            placed.UnionWith(ready);
        }
        return ordered;
    }

    static readonly MethodInfo CopyBatchesMethod = typeof(CopyToPostgres).GetMethod(nameof(CopyBatchesAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
    static readonly MethodInfo CountMethod = typeof(CopyToPostgres).GetMethod(nameof(CountOfAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    static Task<long> CopyAsync(HearthDb source, HearthDb target, IEntityType entity, CancellationToken ct) =>
        (Task<long>)CopyBatchesMethod.MakeGenericMethod(entity.ClrType).Invoke(null, [source, target, entity, ct])!;

    static Task<long> CountAsync(HearthDb db, IEntityType entity, CancellationToken ct) =>
        (Task<long>)CountMethod.MakeGenericMethod(entity.ClrType).Invoke(null, [db, ct])!;

    static Task<long> CountOfAsync<T>(HearthDb db, CancellationToken ct) where T : class => db.Set<T>().LongCountAsync(ct);

    /// <summary>Pages through the table in key order and adds each page to the target as the entities Hearth reads and writes.</summary>
    static async Task<long> CopyBatchesAsync<T>(HearthDb source, HearthDb target, IEntityType entity, CancellationToken ct) where T : class
    {
        var key = entity.FindPrimaryKey()!.Properties;
        var copied = 0L;
        for (var page = 0; ; page++)
        {
            IQueryable<T> rows = source.Set<T>().AsNoTracking();
            IOrderedQueryable<T> ordered = rows.OrderBy(r => EF.Property<object>(r, key[0].Name));
            foreach (var more in key.Skip(1))
            {
                ordered = ordered.ThenBy(r => EF.Property<object>(r, more.Name));
            }
            var batch = await ordered.Skip(page * Batch).Take(Batch).ToListAsync(ct);
            if (batch.Count == 0)
            {
                return copied;
            }
            target.Set<T>().AddRange(batch);
            await target.SaveChangesAsync(ct);
            target.ChangeTracker.Clear();
            copied += batch.Count;
        }
    }

    /// <summary>Identity columns were given the copied ids; new rows continue after the highest.</summary>
    static async Task RestartIdentitiesAsync(HearthDb target, IEnumerable<IEntityType> tables, CancellationToken ct)
    {
        foreach (var entity in tables)
        {
            var key = entity.FindPrimaryKey()!.Properties;
            if (key.Count != 1 || key[0].ValueGenerated != ValueGenerated.OnAdd || key[0].ClrType != typeof(long) && key[0].ClrType != typeof(int))
            {
                continue;
            }
            var table = entity.GetTableName()!.Replace("\"", "\"\"", StringComparison.Ordinal);
            var column = key[0].GetColumnName().Replace("\"", "\"\"", StringComparison.Ordinal);
            var sql = string.Create(CultureInfo.InvariantCulture, $"""
                SELECT setval(pg_get_serial_sequence('"{table}"', '{column}'), COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)
                WHERE pg_get_serial_sequence('"{table}"', '{column}') IS NOT NULL
                """);
            await target.Database.ExecuteSqlRawAsync(sql, ct);
        }
    }
}
