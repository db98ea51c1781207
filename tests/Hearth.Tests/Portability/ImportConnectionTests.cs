using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Portability;

/// <summary>
/// An import runs with a larger SQLite page cache on its one connection; when it is over, every connection the pool hands
/// to the server's requests has the cache it had before.
/// </summary>
public class ImportConnectionTests(HearthApp app) : IClassFixture<HearthApp>
{
    [SqliteFact("the page cache is SQLite's")]
    public async Task EveryPooledConnectionHasItsCacheBackAfterAnImport()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var address = await app.InDatabaseAsync(db => Task.FromResult(db.Database.GetConnectionString()!));
        var before = await CachesAsync(address);

        await app.ImportAsync(site, DisqusFiles.Many("cache", 5, 3), map: new());

        var after = await CachesAsync(address);
        Assert.All(after, size => Assert.Equal(before[0], size));
    }

    /// <summary>The cache setting of as many connections open at once as the pool could hold idle.</summary>
    static async Task<List<long>> CachesAsync(string address)
    {
        var open = new List<SqliteConnection>();
        try
        {
            var sizes = new List<long>();
            for (var i = 0; i < 12; i++)
            {
                var connection = new SqliteConnection(address);
                await connection.OpenAsync();
                open.Add(connection);
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA cache_size";
                sizes.Add((long)(await command.ExecuteScalarAsync())!);
            }
            return sizes;
        }
        finally
        {
            foreach (var connection in open)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
