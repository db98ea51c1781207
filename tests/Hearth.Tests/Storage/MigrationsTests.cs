using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Storage;

public class MigrationsTests(HearthApp app) : IClassFixture<HearthApp>
{
    [Fact]
    public async Task TheModelHasNoChangesWithoutAMigration()
    {
        _ = app.Server;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model changed without a migration: run dotnet ef migrations add <Name> --project src/Hearth --context {db.GetType().Name} --output-dir Storage/Migrations/{(db.Database.IsSqlite() ? "Sqlite" : "Postgres")}");
    }

    [SqliteFact("the write-ahead log is SQLite's")]
    public async Task TheDatabaseRunsInWriteAheadLogMode()
    {
        var mode = await app.InDatabaseAsync(db => db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync());
        Assert.Equal("wal", mode.Single());
    }
}
