using System.IO.Compression;
using System.Text.Json;

namespace Hearth.Storage.Backup;

/// <summary>
/// Puts an archive made by <see cref="BackupArchive"/> into an empty data folder. Everything is checked before the
/// folder is made: the manifest, every file's length and hash, that nothing lies outside the manifest, and SQLite's own
/// integrity check of the database, in a folder of its own beside the target that takes the target's name only at the end.
/// </summary>
public static partial class RestoreArchive
{
    /// <summary>Why the archive cannot be restored, or null once the data folder holds it.</summary>
    public static async Task<string?> RunAsync(string archivePath, string dataFolder, IReadOnlyCollection<string> knownMigrations, CancellationToken ct)
    {
        var parent = Path.GetDirectoryName(dataFolder)!;
        var made = Missing(parent);
        Directory.CreateDirectory(parent);
        var name = Path.GetFileName(dataFolder);
        RemoveAbandoned(parent, name);
        var staging = Path.Combine(parent, $".{name}.restoring-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        try
        {
            if (await UnpackAsync(archivePath, staging, knownMigrations, ct) is { } problem)
            {
                return problem;
            }
            if (Directory.Exists(dataFolder))
            {
                if (Directory.EnumerateFileSystemEntries(dataFolder).Any())
                {
                    return NotEmpty(dataFolder);
                }
                // Only an empty folder is removed, so one that filled in the meantime stays as it is and the move fails.
                Directory.Delete(dataFolder, recursive: false);
            }
            Directory.Move(staging, dataFolder);
            made.Clear();
            return null;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
            // The folders made for the target to go into go too, when it did not: a refused restore leaves nothing.
            foreach (var folder in made.Where(f => Directory.Exists(f) && !Directory.EnumerateFileSystemEntries(f).Any()))
            {
                Directory.Delete(folder);
            }
        }
    }

    /// <summary>The folders on the way to <paramref name="folder"/> that do not exist yet, the deepest first.</summary>
    static List<string> Missing(string folder)
    {
        var missing = new List<string>();
        for (var at = Path.GetFullPath(folder); !Directory.Exists(at) && Path.GetDirectoryName(at) is { } up; at = up)
        {
            missing.Add(at);
        }
        return missing;
    }

    /// <summary>
    /// The unpacked copies that restores into this folder left when they were killed (a whole database and its keys,
    /// readable by Hearth's account only): removed, unless the process named in the copy's name is still running.
    /// </summary>
    static void RemoveAbandoned(string parent, string name)
    {
        var prefix = $".{name}.restoring-";
        foreach (var left in Directory.EnumerateDirectories(parent, prefix + "*"))
        {
            // Only names a restore gives (an older version's had no process id); this process has none yet, so its own id
            // (1, say, in a container every time) names a copy it left when it was killed before.
            var rest = Path.GetFileName(left)[prefix.Length..];
            var named = StagingName().Match(rest);
            if (!named.Success || (named.Groups[1].Success && StillRunning(named.Groups[1].Value)))
            {
                continue;
            }
            try
            {
                Directory.Delete(left, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another account's, or going as this runs: this restore does not depend on it.
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^(?:([0-9]{1,10})-)?[0-9a-f]{8}$")]
    private static partial System.Text.RegularExpressions.Regex StagingName();

    static bool StillRunning(string id) =>
        int.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
        && pid != Environment.ProcessId && Running(pid);

    static bool Running(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static string NotEmpty(string dataFolder) =>
        $"{dataFolder} is not empty: a backup is restored only into an empty or new data folder, and nothing was written. " +
        "Give another --data, or move this folder's files away first.";

    static async Task<string?> UnpackAsync(string archivePath, string staging, IReadOnlyCollection<string> knownMigrations, CancellationToken ct)
    {
        ZipArchive zip;
        try
        {
            zip = await ZipArchive.CreateAsync(File.OpenRead(archivePath), ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: null, ct);
        }
        catch (InvalidDataException e)
        {
            return $"{archivePath} is not a Hearth backup (not a whole zip archive: {e.Message}).";
        }
        await using (zip)
        {
            if (zip.GetEntry(BackupManifest.FileName) is not { } manifestEntry)
            {
                return $"{archivePath} has no {BackupManifest.FileName}: it is not a Hearth backup.";
            }
            BackupManifest? manifest;
            try
            {
                await using var read = await manifestEntry.OpenAsync(ct);
                using var text = new MemoryStream();
                if (!await CopyAtMostAsync(read, text, MostManifestBytes, ct))
                {
                    return $"The manifest of {archivePath} is larger than a Hearth backup's ({MostManifestBytes / 1024} KB at most): it is not one Hearth made.";
                }
                text.Position = 0;
                manifest = await JsonSerializer.DeserializeAsync(text, BackupJson.Default.BackupManifest, ct);
            }
            catch (Exception e) when (e is JsonException or InvalidDataException)
            {
                return $"The manifest of {archivePath} cannot be read ({e.Message}).";
            }
            if (manifest is not { Format: BackupManifest.FormatName, Files: not null } || manifest.Files.Any(f => f is not { Path: not null, Sha256: not null }))
            {
                return $"{archivePath} is not a Hearth backup (its manifest is not one).";
            }
            if (manifest.Version > BackupManifest.CurrentVersion)
            {
                return $"{archivePath} was made by a newer Hearth ({manifest.Hearth}, archive version {manifest.Version}): restore it with that version or a later one.";
            }
            if (manifest.LastMigration is { } last && !knownMigrations.Contains(last))
            {
                return $"{archivePath} holds a database of a newer Hearth ({manifest.Hearth}, migration {last}): restore it with that version or a later one.";
            }
            if (!manifest.Files.Any(f => f.Path == BackupManifest.Database))
            {
                return $"{archivePath} holds no {BackupManifest.Database}.";
            }
            var listed = manifest.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
            if (zip.Entries.FirstOrDefault(e => e.FullName != BackupManifest.FileName && !listed.Contains(e.FullName)) is { } stray)
            {
                return $"{archivePath} holds {stray.FullName}, which its manifest does not list.";
            }
            // Only the first of two entries with one name would be read and checked: the archive is not one Hearth made.
            if (zip.Entries.GroupBy(e => e.FullName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                return $"{archivePath} holds {twice.Key} more than once.";
            }

            if (manifest.Files.GroupBy(f => f.Path, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } listedTwice)
            {
                return $"The manifest of {archivePath} lists {listedTwice.Key} more than once: it is not one Hearth made.";
            }
            if (manifest.Files.FirstOrDefault(f => f.Bytes < 0) is { } negative)
            {
                return $"{archivePath} gives {negative.Path} a length below zero: it is not one Hearth made.";
            }
            // What the manifest promises is all that will be written (a file longer than it says is refused as it
            // arrives), so room for that much is known before the first byte.
            var needed = manifest.Files.Aggregate(0m, (sum, f) => sum + f.Bytes);
            if (FreeBytes(Path.GetDirectoryName(staging)!) is { } free && needed > free)
            {
                return $"{archivePath} unpacks to {needed / (1024 * 1024):0.#} MB, and the disk holding {Path.GetDirectoryName(staging)} has " +
                    $"{free / (1024 * 1024):0.#} MB free.";
            }

            // It holds the keys until it becomes the data folder: closed to everyone but the owner from the start.
            PrivateFolder.Ensure(staging);
            foreach (var file in manifest.Files)
            {
                if (!IsPlainPath(file.Path))
                {
                    return $"{archivePath} names a file outside the data folder ({file.Path}).";
                }
                if (zip.GetEntry(file.Path) is not { } entry)
                {
                    return $"{archivePath} lacks {file.Path}, which its manifest lists.";
                }
                var target = Path.Combine(staging, file.Path);
                if (Path.GetDirectoryName(target) is { } folder && folder != staging)
                {
                    PrivateFolder.Ensure(folder);
                }
                try
                {
                    await using var write = BackupArchive.OwnerOnly(target);
                    await using var read = await entry.OpenAsync(ct);
                    if (!await CopyAtMostAsync(read, write, file.Bytes, ct))
                    {
                        return $"{file.Path} in {archivePath} is longer than the {file.Bytes} bytes its manifest gives: it is not what was backed up.";
                    }
                }
                catch (InvalidDataException e)
                {
                    return $"{file.Path} in {archivePath} is damaged ({e.Message}).";
                }
                await using (var check = File.OpenRead(target))
                {
                    if (check.Length != file.Bytes || await BackupManifest.HashAsync(check, ct) != file.Sha256)
                    {
                        return $"{file.Path} in {archivePath} is not what was backed up (its length or SHA-256 differs from the manifest).";
                    }
                }
            }
            if (await BackupArchive.IntegrityProblemAsync(Path.Combine(staging, BackupManifest.Database), ct) is { } problem)
            {
                return $"The database in {archivePath} did not pass SQLite's integrity check: {problem}.";
            }
            return null;
        }
    }

    /// <summary>What the disk holding the folder has free for this account; null where that cannot be asked (a network share on Windows).</summary>
    static long? FreeBytes(string folder)
    {
        try
        {
            return new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A manifest lists a handful of files; one of a megabyte is not a manifest Hearth wrote.</summary>
    const int MostManifestBytes = 1 << 20;

    /// <summary>Copies <paramref name="read"/> whole when it holds at most <paramref name="most"/> bytes; false, having written no more than that, when it holds more.</summary>
    static async Task<bool> CopyAtMostAsync(Stream read, Stream write, long most, CancellationToken ct)
    {
        var buffer = new byte[81920];
        var left = most;
        int got;
        while ((got = await read.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left < long.MaxValue ? left + 1 : left)), ct)) > 0)
        {
            if (got > left)
            {
                return false;
            }
            await write.WriteAsync(buffer.AsMemory(0, got), ct);
            left -= got;
        }
        return true;
    }

    /// <summary>A name such as keys/key-1.xml: no way out of the folder, no absolute path.</summary>
    static bool IsPlainPath(string path) =>
        path.Length > 0 && !Path.IsPathRooted(path) && !path.Contains('\\')
        && path.Split('/').All(part => part.Length > 0 && part is not ("." or ".."));
}
