using System.Text.RegularExpressions;
using Hearth.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Portability;

/// <summary>
/// Where a run's staged rows live. On SQLite, a file of the run's own in the data folder's imports folder, attached to
/// the import's connection as the schema <c>staging</c>: reading the file, rebuilding its trees and dropping the rows at
/// the end then take none of the instance's one write lock (posts on every site go on meanwhile), add nothing to its
/// log, and leave nothing in its file, where deleting a million staged rows took a minute and a half and left their
/// pages behind. On PostgreSQL, which locks by row, the <c>ImportRows</c> table.
/// </summary>
sealed partial class StagingArea
{
    /// <summary>The rows in the instance's own <c>ImportRows</c> table.</summary>
    public static readonly StagingArea InDatabase = new(null);

    const string Schema = "staging";

    StagingArea(string? file) => File = file;

    /// <summary>The run's own file, or null when the rows are in the instance's database.</summary>
    public string? File { get; }

    /// <summary>True when the rows are in a file of their own: writes to them alone need no turn at the write gate.</summary>
    public bool Apart => File is not null;

    /// <summary>The statement with its staging table named where this run's rows are.</summary>
    public string Sql(string text) => Apart ? text.Replace(Table, $"\"{Schema}\".{Table}", StringComparison.Ordinal) : text;

    const string Table = "\"ImportRows\"";

    /// <summary>The file a run stages into: named by its run, so a sweep can tell whose it is.</summary>
    public static string PathFor(string folder, string runId) => Path.Combine(folder, runId + Extension);

    public const string Extension = ".staging";

    /// <summary>
    /// On SQLite, makes the run's file (the staging table and its indexes as the instance's migrations made them) and
    /// attaches it to the connection the import keeps open; on PostgreSQL, the table.
    /// </summary>
    public static async Task<StagingArea> OpenAsync(HearthDb db, string folder, string runId, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            return InDatabase;
        }
        if (!RunName().IsMatch(runId))
        {
            throw new ArgumentException("A run's name is letters, digits and dashes.", nameof(runId));
        }
        var path = PathFor(PrivateFolder.Ensure(folder).FullName, runId);
        Remove(path);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await using (var attach = connection.CreateCommand())
        {
            attach.CommandText = $"ATTACH DATABASE @path AS \"{Schema}\"";
            attach.Parameters.AddWithValue("@path", path);
            await attach.ExecuteNonQueryAsync(ct);
        }
        var area = new StagingArea(path);
        try
        {
            // Scratch that the run makes, reads and deletes: no journal, no syncs, no overwriting of freed pages (the file
            // goes as a whole). A run that fails half-way is abandoned with its file. Its own page cache, which no other
            // connection's write ever empties, unlike the instance's.
            foreach (var pragma in new[] { "journal_mode=OFF", "synchronous=OFF", "secure_delete=OFF", $"cache_size=-{StagingCacheKib}" })
            {
                await using var set = connection.CreateCommand();
                set.CommandText = $"PRAGMA \"{Schema}\".{pragma}";
                await set.ExecuteNonQueryAsync(ct);
            }
            var made = new List<string>();
            await using (var read = connection.CreateCommand())
            {
                // The table before its indexes.
                read.CommandText = """SELECT "sql" FROM "main"."sqlite_master" WHERE "tbl_name" = 'ImportRows' AND "sql" IS NOT NULL ORDER BY "type" DESC""";
                await using var rows = await read.ExecuteReaderAsync(ct);
                while (await rows.ReadAsync(ct))
                {
                    made.Add(Created().Replace(rows.GetString(0), $"$1\"{Schema}\".\"$3\"", 1));
                }
            }
            foreach (var statement in made)
            {
                await using var create = connection.CreateCommand();
                create.CommandText = statement;
                await create.ExecuteNonQueryAsync(ct);
            }
            return area;
        }
        catch
        {
            await area.CloseAsync(db);
            throw;
        }
    }

    /// <summary>
    /// Detaches the run's file and deletes it; nothing on PostgreSQL, whose rows the run removes itself. A handle that
    /// could not let the file go is taken out of the pool rather than handed to the server's requests with it.
    /// </summary>
    public async Task CloseAsync(HearthDb db)
    {
        if (File is null)
        {
            return;
        }
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        try
        {
            await using var detach = connection.CreateCommand();
            detach.CommandText = $"DETACH DATABASE \"{Schema}\"";
            await detach.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (SqliteException)
        {
            SqliteConnection.ClearPool(connection);
            throw;
        }
        finally
        {
            Remove(File);
        }
    }

    /// <summary>
    /// Deletes the staging files in the folder whose runs are not among the live ones: a node or a command that died
    /// under its run leaves its file, with the words and addresses of the export in it.
    /// </summary>
    /// <returns>How many files went.</returns>
    public static int Sweep(string folder, IReadOnlySet<string> live)
    {
        if (!Directory.Exists(folder))
        {
            return 0;
        }
        var removed = 0;
        foreach (var left in Directory.EnumerateFiles(folder, "*" + Extension))
        {
            if (!live.Contains(Path.GetFileNameWithoutExtension(left)))
            {
                try
                {
                    Remove(left);
                    removed++;
                }
                catch (IOException)
                {
                    // Still open where the system forbids deleting an open file: the next sweep tries again.
                }
            }
        }
        return removed;
    }

    static void Remove(string path)
    {
        System.IO.File.Delete(path);
        // A journal only if an earlier version's settings left one; with journal_mode OFF there is none.
        System.IO.File.Delete(path + "-journal");
    }

    /// <summary>
    /// Kibibytes of page cache for the staging file while the file is read and its trees rebuilt: those look rows up all
    /// over the staged rows' indexes. The instance's database has a cache of its own (<see cref="ImportConnection"/>),
    /// which the writing fills; not all of what this one held comes back to the system when it shrinks (a million-comment
    /// import peaked at 320 MB with 32 MB here), so it is kept small.
    /// </summary>
    const int StagingCacheKib = 8 * 1024;

    /// <summary>Kibibytes while the site is written: the staged rows are then read in order, and the memory is the site's cache's.</summary>
    const int WritingCacheKib = 2 * 1024;

    /// <summary>
    /// Shrinks the staging file's cache once its trees are rebuilt, so the run's memory holds one large cache at a time
    /// (SQLite gives the pages back as it shrinks).
    /// </summary>
    public async Task WritingStartsAsync(HearthDb db, CancellationToken ct)
    {
        if (File is null)
        {
            return;
        }
        await using var set = ((SqliteConnection)db.Database.GetDbConnection()).CreateCommand();
        set.CommandText = $"PRAGMA \"{Schema}\".cache_size=-{WritingCacheKib}";
        await set.ExecuteNonQueryAsync(ct);
    }

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial Regex RunName();

    /// <summary>The name after CREATE TABLE / CREATE [UNIQUE] INDEX, quoted or not.</summary>
    [GeneratedRegex("""^(CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX)\s+)("?)([A-Za-z0-9_]+)\2""")]
    private static partial Regex Created();
}
