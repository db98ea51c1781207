using System.CommandLine;
using Hearth.Cli;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hearth.Storage.Backup;

/// <summary>hearth backup FILE and hearth restore FILE: a whole SQLite instance as one file, and back (docs/deployment.md).</summary>
public static class BackupCommands
{
    const string UsePgDump = "This instance keeps its data in PostgreSQL (HEARTH_DATABASE): back it up with pg_dump and restore it with pg_restore " +
        "(docs/deployment.md), and keep the data folder's outbox/ if you need its messages. hearth backup and restore are for SQLite.";

    public static Command Backup()
    {
        var file = new Argument<string>("file") { Description = "The archive to write, e.g. /backups/hearth-2026-12-03.zip (must not exist yet)." };
        var command = new Command("backup",
            "Copy a SQLite instance (database with its keys, and any older keys/ folder) into one archive, while the server keeps running.")
        {
            file, CliHost.DataOption(),
        };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, prepareStorage: false, async (services, output) =>
        {
            var options = services.GetRequiredService<IOptions<HearthOptions>>().Value;
            if (DatabaseAddress.IsPostgres(options))
            {
                return output.Fail(UsePgDump);
            }
            var database = StorageSetup.DatabasePath(options);
            if (!File.Exists(database))
            {
                return output.Fail($"There is no SQLite database in {Path.GetFullPath(options.DataDirectory)} to back up.");
            }
            var archive = Path.GetFullPath(parse.GetValue(file)!);
            if (File.Exists(archive) || Directory.Exists(archive))
            {
                return output.Fail($"{archive} already exists: give the backup a new name (a date in it keeps them apart), nothing was written.");
            }
            var manifest = await BackupArchive.WriteAsync(Path.GetFullPath(options.DataDirectory), archive,
                services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, ct);
            Console.Error.WriteLine($"hearth: backed up {string.Join(", ", manifest.Files.Select(f => $"{f.Path} ({f.Bytes} bytes)"))} to {archive}.");
            return 0;
        }, ct));
        return command;
    }

    public static Command Restore()
    {
        var file = new Argument<string>("file") { Description = "An archive made by hearth backup." };
        var command = new Command("restore",
            "Check an archive made by hearth backup and unpack it into an empty or new data folder (never over an instance).")
        {
            file, CliHost.DataOption(),
        };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, prepareStorage: false, async (services, output) =>
        {
            var options = services.GetRequiredService<IOptions<HearthOptions>>().Value;
            if (DatabaseAddress.IsPostgres(options))
            {
                return output.Fail(UsePgDump);
            }
            // Without its trailing slash, so the folder's parent (where it is unpacked first) is not the folder itself.
            var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.DataDirectory));
            var archive = Path.GetFullPath(parse.GetValue(file)!);
            if (!File.Exists(archive))
            {
                return output.Fail($"There is no file {archive}.");
            }
            // Asked first, so an operator who named the wrong folder hears it before a large archive is read.
            if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any() || File.Exists(folder))
            {
                return output.Fail(RestoreArchive.NotEmpty(folder));
            }
            var known = services.GetRequiredService<SqliteHearthDb>().Database.GetMigrations().ToList();
            using var signals = new StopSignals(ct);
            try
            {
                if (await RestoreArchive.RunAsync(archive, folder, known, signals.Token) is { } problem)
                {
                    return output.Fail($"{problem} Nothing was restored.");
                }
            }
            catch (OperationCanceledException) when (signals.Token.IsCancellationRequested)
            {
                return output.Fail("The restore was stopped. Nothing was restored.");
            }
            Console.Error.WriteLine($"hearth: restored {archive} into {folder}; start the server with --data {folder}.");
            return 0;
        }, ct));
        return command;
    }
}
