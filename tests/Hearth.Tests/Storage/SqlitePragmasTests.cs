using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Storage;

/// <summary>
/// Every connection the server opens runs with its durability, waiting and privacy settings, and they are set once per
/// database handle rather than at every opening: every query opens a connection from the pool.
/// </summary>
public class SqlitePragmasTests(HearthApp app) : IClassFixture<HearthApp>
{
    [SqliteFact("the settings are SQLite's own")]
    public async Task EveryOpeningHasTheSettings()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.InDatabaseAsync(async db =>
        {
            for (var i = 0; i < 5; i++)
            {
                await db.Database.OpenConnectionAsync();
                var connection = db.Database.GetDbConnection();
                Assert.Equal(1L, await PragmaAsync(connection, "synchronous")); // NORMAL
                Assert.Equal(1L, await PragmaAsync(connection, "secure_delete"));
                Assert.Equal(10_000L, await PragmaAsync(connection, "busy_timeout"));
                Assert.Equal(2L, await PragmaAsync(connection, "temp_store")); // MEMORY
                await db.Database.CloseConnectionAsync();
            }
            return 0;
        })));
    }

    [SqliteFact("the settings are SQLite's own")]
    public async Task AHandleTheConnectionPoolHandsOnIsNotSetAgain()
    {
        await app.InDatabaseAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            var handle = ((SqliteConnection)db.Database.GetDbConnection()).Handle;
            await ExecuteAsync(db.Database.GetDbConnection(), "PRAGMA busy_timeout=12345");
            await db.Database.CloseConnectionAsync();

            // The pool hands the handle to a later opening (another may take it first: the server has background
            // work). Had the settings run again at that opening, the handle would say 10000.
            var seen = false;
            for (var i = 0; i < 50 && !seen; i++)
            {
                await db.Database.OpenConnectionAsync();
                var connection = (SqliteConnection)db.Database.GetDbConnection();
                if (connection.Handle == handle)
                {
                    seen = true;
                    Assert.Equal(12_345L, await PragmaAsync(connection, "busy_timeout"));
                    await ExecuteAsync(connection, "PRAGMA busy_timeout=10000");
                }
                await db.Database.CloseConnectionAsync();
            }
            Assert.True(seen, "The pool never handed the handle on.");
            return 0;
        });
    }

    static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    static async Task<long> PragmaAsync(DbConnection connection, string name)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA " + name;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
