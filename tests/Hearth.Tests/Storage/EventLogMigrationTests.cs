using Hearth.Identity;
using Hearth.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Storage;

/// <summary>Databases from before the event log stopped keeping words lose the copies they hold when they are migrated.</summary>
public sealed class EventLogMigrationTests : IDisposable
{
    const string BeforeTheChange = "20261126045844_SimilarityBands";
    readonly string _folder = Path.Combine(Path.GetTempPath(), "hearth-tests", Guid.NewGuid().ToString("N"));

    string DatabasePath => Path.Combine(_folder, "hearth.db");

    SqliteHearthDb Open()
    {
        Directory.CreateDirectory(_folder);
        var services = new ServiceCollection().Configure<IdentityOptions>(IdentitySetup.ConfigureStores).BuildServiceProvider();
        return new SqliteHearthDb(new DbContextOptionsBuilder<SqliteHearthDb>().UseSqlite($"Data Source={DatabasePath}")
            .UseApplicationServiceProvider(services).Options);
    }

    [SqliteFact("it upgrades a SQLite file written by an older Hearth")]
    public async Task WordsCopiedIntoTheLogAndIntoStoredAnswersAreGoneAfterMigrating()
    {
        await using (var db = Open())
        {
            await db.GetService<IMigrator>().MigrateAsync(BeforeTheChange);
            // Parameters, not literals: the JSON's braces would read as placeholders.
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO ThreadEvents (SiteId, ThreadId, CommentId, Type, Data, At)
                VALUES (1, 1, 7, 'comment.created', {0}, '2026-11-20 10:00:00');
                INSERT INTO IdempotencyRecords (SiteId, Key, RequestHash, StatusCode, ResponseJson, CommentId, CreatedAt)
                VALUES (1, 'with-comment', 'h1', 201, {1}, 7, '2026-11-20 10:00:00'),
                       (1, 'without-comment', 'h2', 201, {2}, NULL, '2026-11-20 10:00:00');
                """,
                """{"id":7,"html":"<p>vanished-words</p>","author":{"name":"Gone Person"}}""",
                """{"id":7,"html":"<p>vanished-words</p>"}""",
                """{"id":8,"html":"<p>older-words</p>"}""");
        }

        await using (var db = Open())
        {
            await db.Database.MigrateAsync();
            Assert.Equal(7, await db.ThreadEvents.Select(e => e.CommentId).SingleAsync());
            Assert.Equal("with-comment", await db.IdempotencyRecords.Select(r => r.Key).SingleAsync());
        }

        var copy = Path.Combine(_folder, "copy.db");
        await using (var connection = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"VACUUM INTO '{copy}'";
            await command.ExecuteNonQueryAsync();
        }
        var everything = System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(copy));
        Assert.DoesNotContain("vanished-words", everything);
        Assert.DoesNotContain("older-words", everything);
        Assert.DoesNotContain("Gone Person", everything);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
