using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Hearth.Storage.Backup;

/// <summary>
/// What a backup holds: the SQLite database (which carries the Data Protection keys, the instance's hash key, sites,
/// comments and accounts, uploaded pictures included) copied online, and the keys/ folder of older versions when one is
/// still there. outbox/ is not taken: its messages were already told in the log, and their links expire within hours.
/// Migration copies (hearth.db.*.bak) are not either; they are backups themselves.
/// </summary>
public static class BackupArchive
{
    public const string KeysFolder = "keys";

    /// <summary>
    /// Copies the database with SQLite's online backup (a consistent picture of one moment while the server keeps
    /// writing), checks the copy, and writes the archive beside <paramref name="archivePath"/> under another name first,
    /// so a backup cut short leaves no file that looks whole.
    /// </summary>
    public static async Task<BackupManifest> WriteAsync(string dataFolder, string archivePath, DateTime now, CancellationToken ct)
    {
        var database = Path.Combine(dataFolder, BackupManifest.Database);
        var copy = archivePath + ".db-" + Guid.NewGuid().ToString("N")[..8];
        var partial = archivePath + ".part";
        try
        {
            // The copy holds the keys as the archive does: made for the owner alone before SQLite writes into it.
            OwnerOnly(copy).Dispose();
            using (var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString()))
            using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString()))
            {
                await source.OpenAsync(ct);
                await Execute(source, "PRAGMA busy_timeout=10000;", ct);
                source.BackupDatabase(target);
            }
            if (await IntegrityProblemAsync(copy, ct) is { } problem)
            {
                throw new IOException($"The copy of the database did not pass SQLite's integrity check ({problem}); the live database may be damaged: run PRAGMA integrity_check on it.");
            }
            var lastMigration = await LastMigrationAsync(copy, ct);
            var files = new List<(string Name, string From)> { (BackupManifest.Database, copy) };
            var keys = Path.Combine(dataFolder, KeysFolder);
            if (Directory.Exists(keys))
            {
                files.AddRange(Directory.GetFiles(keys).Order(StringComparer.Ordinal)
                    .Select(f => ($"{KeysFolder}/{Path.GetFileName(f)}", f)));
            }

            var listed = new List<BackupFile>();
            await using (var output = OwnerOnly(partial))
            using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var (name, from) in files)
                {
                    await using var read = File.OpenRead(from);
                    var hash = await BackupManifest.HashAsync(read, ct);
                    read.Position = 0;
                    var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
                    await using (var write = await entry.OpenAsync(ct))
                    {
                        await read.CopyToAsync(write, ct);
                    }
                    listed.Add(new BackupFile(name, read.Length, hash));
                }
                var manifest = new BackupManifest(BackupManifest.FormatName, BackupManifest.CurrentVersion, HearthVersion, now, lastMigration, listed);
                await using (var write = await zip.CreateEntry(BackupManifest.FileName).OpenAsync(ct))
                {
                    await JsonSerializer.SerializeAsync(write, manifest, BackupJson.Default.BackupManifest, ct);
                }
                await zip.DisposeAsync();
                await output.FlushAsync(ct);
                output.Flush(flushToDisk: true);
                File.Move(partial, archivePath);
                return manifest;
            }
        }
        finally
        {
            File.Delete(copy);
            File.Delete(partial);
        }
    }

    public static string HearthVersion =>
        typeof(BackupArchive).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The archive holds the instance's keys: only the account that runs Hearth may read it.</summary>
    internal static FileStream OwnerOnly(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return new FileStream(path, options);
    }

    /// <summary>Null when SQLite finds the file sound; else its first complaint.</summary>
    internal static async Task<string?> IntegrityProblemAsync(string databasePath, CancellationToken ct)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check(1);";
            var result = (string?)await command.ExecuteScalarAsync(ct);
            return result == "ok" ? null : result ?? "no answer";
        }
        catch (SqliteException e)
        {
            return e.Message;
        }
    }

    internal static async Task<string?> LastMigrationAsync(string databasePath, CancellationToken ct)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId DESC LIMIT 1;";
        try
        {
            return (string?)await command.ExecuteScalarAsync(ct);
        }
        catch (SqliteException)
        {
            return null;
        }
    }

    static async Task Execute(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}
