using Hearth.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;

namespace Hearth.Tests.Storage;

/// <summary>
/// A statement sent again on a connection that stayed open runs without being compiled again (a batch of posts sends
/// the same few statements once per post); one that failed is not kept, and closing the connection leaves no
/// statement behind on the handle the pool hands on.
/// </summary>
public class SqliteStatementCacheTests(HearthApp app) : IClassFixture<HearthApp>
{
    const int StatementRuns = 6; // SQLITE_STMTSTATUS_RUN

    /// <summary>The statements alive on a handle whose text contains the fragment, with how often each has run.</summary>
    static List<(string Sql, int Runs)> Statements(sqlite3 handle, string fragment)
    {
        var found = new List<(string, int)>();
        for (var statement = raw.sqlite3_next_stmt(handle, null); statement is not null; statement = raw.sqlite3_next_stmt(handle, statement))
        {
            var sql = raw.sqlite3_sql(statement).utf8_to_string();
            if (sql.Contains(fragment, StringComparison.Ordinal))
            {
                found.Add((sql, raw.sqlite3_stmt_status(statement, StatementRuns, 0)));
            }
        }
        return found;
    }

    [SqliteFact("the statements kept are SQLite's")]
    public async Task AStatementSentAgainOnAnOpenConnectionRunsWithoutBeingCompiledAgain()
    {
        var site = await app.CreateSiteAsync();
        await app.InDatabaseAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            var handle = ((SqliteConnection)db.Database.GetDbConnection()).Handle!;
            handle.enable_sqlite3_next_stmt(true);
            var counts = new List<int>();
            foreach (var name in new[] { site, "no-such-site", site })
            {
                counts.Add(await db.Sites.AsNoTracking().CountAsync(s => s.Name == name));
            }
            Assert.Equal([1, 0, 1], counts);
            var kept = Statements(handle, "FROM \"Sites\"");
            var statement = Assert.Single(kept);
            Assert.Equal(3, statement.Runs);

            await db.Database.CloseConnectionAsync();
            Assert.Empty(Statements(handle, "FROM \"Sites\""));
            return 0;
        });
    }

    [SqliteFact("the statements kept are SQLite's")]
    public async Task AStatementThatFailedIsNotKeptAndTheNextRunsCleanly()
    {
        var name = "cache-test-" + Guid.NewGuid().ToString("N");
        await app.InDatabaseAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            var handle = ((SqliteConnection)db.Database.GetDbConnection()).Handle!;
            handle.enable_sqlite3_next_stmt(true);
            const string insert = """INSERT INTO "InstanceSettings" ("Name", "Value") VALUES ({0}, {1})""";
            Assert.Equal(1, await db.Database.ExecuteSqlRawAsync(insert, name, "first"));
            // The same text again breaks the key: the error is reported, and the failed statement is not kept.
            await Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync(insert, name, "second"));
            Assert.Empty(Statements(handle, "INSERT INTO \"InstanceSettings\""));
            Assert.Equal(1, await db.Database.ExecuteSqlRawAsync(insert, name + "-2", "third"));

            var values = await db.InstanceSettings.AsNoTracking().Where(s => s.Name.StartsWith(name)).OrderBy(s => s.Name)
                .Select(s => s.Value).ToListAsync();
            Assert.Equal(["first", "third"], values);
            await db.Database.CloseConnectionAsync();
            return 0;
        });
    }

    [SqliteFact("the statements kept are SQLite's")]
    public async Task AStatementWithItsValuesWrittenIntoALongTextIsNotKept()
    {
        var site = await app.CreateSiteAsync();
        await app.InDatabaseAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            var handle = ((SqliteConnection)db.Database.GetDbConnection()).Handle!;
            handle.enable_sqlite3_next_stmt(true);
            var id = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
            // An import's list of ids, written into the text: it never comes again, and its program is as large as it.
            var ids = string.Join(',', Enumerable.Range(1, 5_000).Select(i => (id + i * 1_000_000L).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var sql = $$"""SELECT COUNT(*) AS "Value" FROM "Sites" WHERE "Id" IN ({{ids}})""";
            Assert.True(sql.Length > SqliteStatementCache.LongestKept);

            Assert.Equal(1, await db.Database.SqlQueryRaw<int>(sql).SingleAsync());
            Assert.Equal(1, await db.Database.SqlQueryRaw<int>(sql).SingleAsync());
            Assert.Empty(Statements(handle, "FROM \"Sites\" WHERE \"Id\" IN ("));

            // A short one on the same connection is kept as before.
            Assert.Equal(1, await db.Sites.AsNoTracking().CountAsync(s => s.Id == id));
            Assert.Equal(1, await db.Sites.AsNoTracking().CountAsync(s => s.Id == id));
            Assert.Equal(2, Assert.Single(Statements(handle, "WHERE \"s\".\"Id\" = @")).Runs);
            await db.Database.CloseConnectionAsync();
            return 0;
        });
    }
}
