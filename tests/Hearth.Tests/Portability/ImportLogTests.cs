using Hearth.Portability;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Portability;

/// <summary>
/// On SQLite an import's chunks do not pile up in the write-ahead log when another connection writes between them (the
/// run's own progress does, every second, and so do posts): after each chunk the log is copied into the file, and the
/// next write, whoever makes it, starts the log again from its beginning. The log's file is handed back at the end.
/// </summary>
public class ImportLogTests(HearthApp app) : IClassFixture<HearthApp>
{
    [SqliteFact("the write-ahead log is SQLite's")]
    public async Task AWriteBetweenChunksStartsTheLogAgainAndTheLogIsEmptyAfterwards()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var address = await app.InDatabaseAsync(db => Task.FromResult(db.Database.GetConnectionString()!));
        var file = new SqliteConnectionStringBuilder(address).DataSource;
        await using var other = new SqliteConnection(address);
        await other.OpenAsync();
        var between = new WriteBetweenChunks(other, file + "-shm");

        // Three rounds of 4,000 comments (a comment, its reply, the reply's reply), so three chunks of writing.
        var summary = await app.ImportAsync(site, DisqusFiles.Many("log", 120, 100), map: new(), progress: between);

        Assert.Equal(12_000, summary.CommentsImported);
        Assert.True(between.FramesAfterWrite.Count >= 3, $"chunks written: {between.FramesAfterWrite.Count}");
        // The other connection's one-page write is all the log holds: without the copy after each chunk it went to the
        // log's end, and the next chunk after it.
        Assert.All(between.FramesAfterWrite, frames => Assert.InRange(frames, 1u, 4u));
        var log = new FileInfo(file + "-wal");
        Assert.True(!log.Exists || log.Length == 0, $"the log's file holds {log.Length} bytes after the import");
    }

    /// <summary>After each chunk, a write of another connection, then the number of frames the log holds.</summary>
    sealed class WriteBetweenChunks(SqliteConnection other, string shm) : IProgress<ImportProgress>
    {
        public List<uint> FramesAfterWrite { get; } = [];

        public void Report(ImportProgress value)
        {
            if (value.Phase != "writing")
            {
                return;
            }
            using (var write = other.CreateCommand())
            {
                write.CommandText = """UPDATE "Sites" SET "Name" = "Name" """;
                write.ExecuteNonQuery();
            }
            FramesAfterWrite.Add(LastFrame());
        }

        /// <summary>
        /// The log's last frame, read from the header of its index (a 32-bit number at byte 16 of the shared-memory
        /// file, in the machine's order) rather than asked of SQLite: a checkpoint asked for would change what it measures.
        /// </summary>
        uint LastFrame()
        {
            using var index = new FileStream(shm, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var header = new byte[48];
            index.ReadExactly(header);
            return BitConverter.ToUInt32(header, 16);
        }
    }
}
