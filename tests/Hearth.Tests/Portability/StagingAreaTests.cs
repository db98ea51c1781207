using System.Diagnostics;
using Hearth.Portability;
using Microsoft.Data.Sqlite;

namespace Hearth.Tests.Portability;

/// <summary>
/// On SQLite an import stages its rows in a file of the run's own: reading the export and rebuilding its trees take none
/// of the instance's one write lock, so the posts of every site go on meanwhile, and the file goes when the run ends.
/// </summary>
public class StagingAreaTests(HearthApp app) : IClassFixture<HearthApp>
{
    const int Threads = 4, PerThread = 500;

    [SqliteFact("the staged rows have a file of their own on SQLite alone; PostgreSQL locks rows, not the whole database")]
    public async Task AnImportReadsItsFileAndRebuildsItsTreesWhileAnotherWriterHoldsTheInstancesWriteLock()
    {
        var site = await app.CreateSiteAsync();
        var file = DisqusFiles.Many("apart", Threads, PerThread);
        using var writer = new SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, "hearth.db")};Pooling=False");
        writer.Open();
        Run(writer, "BEGIN IMMEDIATE");
        Task<ImportSummary> import;
        try
        {
            import = app.ImportAsync(site, file, map: new UrlMap());
            // Held the way a long batch of posts would hold it, until every staged comment has its place in a tree.
            var deadline = Stopwatch.StartNew();
            while (!Placed())
            {
                Assert.False(import.IsCompleted, "the import ended while the lock was held: " + import.Exception?.GetBaseException().Message);
                Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), "the import did not stage and place its comments in two minutes");
                await Task.Delay(10);
            }
            // The file holds the export's words and addresses: its folder is Hearth's account's alone.
            var folder = Path.GetDirectoryName(Assert.Single(ImportRunner.StagingFiles(app)))!;
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
            }
        }
        finally
        {
            Run(writer, "ROLLBACK");
        }

        var summary = await import;
        Assert.Equal(Threads * PerThread, summary.CommentsImported);
        Assert.Empty(ImportRunner.StagingFiles(app));
    }

    /// <summary>True once a staging file holds comments and every one of them is placed or passed over.</summary>
    bool Placed()
    {
        foreach (var path in ImportRunner.StagingFiles(app))
        {
            try
            {
                using var staged = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
                staged.Open();
                using var count = staged.CreateCommand();
                count.CommandText = """
                    SELECT COUNT(*), COUNT(CASE WHEN "Skip" IS NULL AND "Round" IS NULL THEN 1 END) FROM "ImportRows" WHERE "Kind" = 'C'
                    """;
                using var row = count.ExecuteReader();
                row.Read();
                return row.GetInt64(0) == Threads * PerThread && row.GetInt64(1) == 0;
            }
            catch (SqliteException)
            {
                // Being made or written just then.
            }
        }
        return false;
    }

    static void Run(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
