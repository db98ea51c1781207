using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hearth.Tests.Identity;
using Microsoft.Data.Sqlite;

namespace Hearth.Tests.Processes;

/// <summary>hearth backup and hearth restore: one archive of a running SQLite instance, and back into an empty folder only.</summary>
public sealed class HearthBackupTests
{
    [SqliteFact("hearth backup copies the SQLite database; a PostgreSQL instance is backed up with pg_dump")]
    public async Task ABackupTakenWhileCommentsArePostedRestoresToAnInstanceWithTheThreadsAndTheSignIns()
    {
        using var live = new DataFolder();
        using var restored = new DataFolder();
        using var files = new DataFolder();
        Directory.CreateDirectory(files.Path);
        var archive = Path.Combine(files.Path, "hearth.zip");
        Assert.Equal(0, (await HearthCommand.RunAsync("sites", "add", "blog", "--origin", "https://blog.example", "--data", live.Path)).ExitCode);
        var secret = JsonDocument.Parse((await HearthCommand.RunAsync("sites", "sso", "blog", "--data", live.Path)).Stdout)
            .RootElement.GetProperty("ssoSecret").GetString()!;
        var page = ApiCalls.NewPageUrl();
        var busy = ApiCalls.NewPageUrl();
        string accessToken;
        int postedBefore, postedDuring;
        using (var server = await HearthProcess.StartAsync(live.Path))
        {
            await server.Client.CommentAsync("blog", page, "Kept in the backup");
            accessToken = await server.Client.AccessTokenAsync("blog", Token(secret, "customer-7"));

            using var stop = new CancellationTokenSource();
            var posted = 0;
            var load = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var response = await server.Client.PostCommentAsync("blog", new { url = busy, body = $"Busy {posted}", author = new { name = "Writer" } });
                    Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                    Interlocked.Increment(ref posted);
                }
            });
            while (Volatile.Read(ref posted) < 20)
            {
                await Task.Delay(10);
            }
            postedBefore = Volatile.Read(ref posted);
            var backup = await HearthCommand.RunAsync("backup", archive, "--data", live.Path);
            postedDuring = Volatile.Read(ref posted) - postedBefore;
            stop.Cancel();
            await load;
            Assert.True(backup.ExitCode == 0, backup.ToString());
        }
        Assert.True(postedDuring > 0, "No comment was posted while the backup ran, so it was not taken under writes.");

        var restore = await HearthCommand.RunAsync("restore", archive, "--data", restored.Path);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(restored.Path)!, $".{Path.GetFileName(restored.Path)}.restoring-*"));
        // One moment of the live database: the busy thread's count agrees with the comments it holds, and nothing
        // posted before the backup began is missing.
        using (var db = new SqliteConnection($"Data Source={restored.DatabasePath};Pooling=False"))
        {
            await db.OpenAsync();
            var command = db.CreateCommand();
            command.CommandText = """
                SELECT t.CommentCount,
                       (SELECT COUNT(*) FROM Comments c WHERE c.ThreadId = t.Id AND c.Status = 'Published'),
                       (SELECT COUNT(*) FROM Comments c WHERE c.ThreadId = t.Id)
                FROM Threads t WHERE t.Url = $url
                """;
            command.Parameters.AddWithValue("$url", busy);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            var (counted, published, stored) = (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
            Assert.Equal(published, counted);
            // The one post in flight when the backup ended may be in it without its answer counted yet.
            Assert.InRange(stored, postedBefore, postedBefore + postedDuring + 1);
        }

        using var copy = await HearthProcess.StartAsync(restored.Path);
        Assert.Contains("Kept in the backup", (await copy.Client.ThreadAsync("blog", page)).ToString());
        // The keys came along: the stored SSO secret is read, and the session opened before the backup is still good.
        Assert.False(string.IsNullOrEmpty(await copy.Client.AccessTokenAsync("blog", Token(secret, "customer-8"))));
        var asMember = await copy.Client.PostAsMemberAsync("blog", accessToken, new { url = page, body = "Signed in before the backup" });
        Assert.Equal(HttpStatusCode.Created, asMember.StatusCode);
    }

    [SqliteFact("restore writes a SQLite data folder")]
    public async Task ARestoreRemovesTheCopyAKilledRestoreLeftButNotOneARunningRestoreIsUnpacking()
    {
        using var live = new DataFolder();
        using var target = new DataFolder();
        var archive = await BackUpASmallInstanceAsync(live);
        var parent = Path.GetDirectoryName(target.Path)!;
        var name = Path.GetFileName(target.Path);
        // A process id Linux never gives (its most is 4,194,304), and this test's own, which is running.
        var killed = Path.Combine(parent, $".{name}.restoring-999999999-0badc0de");
        var running = Path.Combine(parent, $".{name}.restoring-{Environment.ProcessId}-5ca1ab1e");
        // Not a name a restore gives: someone's own folder, left alone.
        var other = Path.Combine(parent, $".{name}.restoring-notes");
        foreach (var copy in new[] { killed, running, other })
        {
            Directory.CreateDirectory(copy);
            await File.WriteAllTextAsync(Path.Combine(copy, "hearth.db"), "a database and its keys");
        }
        try
        {
            var restore = await HearthCommand.RunAsync("restore", archive, "--data", target.Path);

            Assert.True(restore.ExitCode == 0, restore.ToString());
            Assert.False(Directory.Exists(killed));
            Assert.True(File.Exists(Path.Combine(running, "hearth.db")));
            Assert.Equal(new[] { other, running }.Order(StringComparer.Ordinal), Directory.GetFileSystemEntries(parent, $".{name}.restoring-*").Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(running, recursive: true);
            Directory.Delete(other, recursive: true);
        }
    }

    [SqliteFact("restore writes a SQLite data folder")]
    public async Task RestoreRefusesAFolderThatHoldsAnythingAndLeavesItAsItWas()
    {
        using var live = new DataFolder();
        using var target = new DataFolder();
        var archive = await BackUpASmallInstanceAsync(live);
        Directory.CreateDirectory(target.Path);
        var mine = Path.Combine(target.Path, "notes.txt");
        await File.WriteAllTextAsync(mine, "mine");

        var restore = await HearthCommand.RunAsync("restore", archive, "--data", target.Path);

        Assert.True(restore.ExitCode == 1, restore.ToString());
        Assert.Contains("not empty", restore.Stderr);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(target.Path).Select(Path.GetFileName));
        Assert.Equal("mine", await File.ReadAllTextAsync(mine));

        // An empty folder that exists is fine, and a second restore over the result is refused too.
        Directory.Delete(target.Path, recursive: true);
        Directory.CreateDirectory(target.Path);
        // Given as a folder is often typed, with a slash at the end.
        var restored = await HearthCommand.RunAsync("restore", archive, "--data", target.Path + "/");
        Assert.True(restored.ExitCode == 0, restored.ToString());
        Assert.True(File.Exists(target.DatabasePath), restored.ToString());
        // The keys/ folder of an older version comes back too, still closed to everyone but the owner.
        Assert.Equal(OldKey, await File.ReadAllTextAsync(Path.Combine(target.Path, "keys", "key-old.xml")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(target.Path, "keys")));
        }
        var again = await HearthCommand.RunAsync("restore", archive, "--data", target.Path);
        Assert.True(again.ExitCode == 1, again.ToString());
    }

    [SqliteFact("restore writes a SQLite data folder")]
    public async Task ATruncatedCorruptOrForgedArchiveIsRefusedBeforeAnythingIsWritten()
    {
        using var live = new DataFolder();
        using var target = new DataFolder();
        var archive = await BackUpASmallInstanceAsync(live);
        var bytes = await File.ReadAllBytesAsync(archive);

        var truncated = archive + ".truncated";
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);
        var flipped = archive + ".flipped";
        var damaged = bytes.ToArray();
        for (var i = 200; i < 260; i++)
        {
            damaged[i] ^= 0x5A;
        }
        await File.WriteAllBytesAsync(flipped, damaged);
        // A database broken in the middle whose manifest was made to match: only SQLite's own check can tell.
        var forged = archive + ".forged";
        File.Copy(archive, forged);
        using (var zip = ZipFile.Open(forged, ZipArchiveMode.Update))
        {
            var database = zip.GetEntry("hearth.db")!;
            byte[] content;
            using (var read = new MemoryStream())
            {
                await using (var entry = database.Open())
                {
                    await entry.CopyToAsync(read);
                }
                content = read.ToArray();
            }
            Array.Fill(content, (byte)0xEE, 4096 * 2, 4096 * 2);
            database.Delete();
            await using (var write = zip.CreateEntry("hearth.db").Open())
            {
                await write.WriteAsync(content);
            }
            var manifestEntry = zip.GetEntry("manifest.json")!;
            JsonNode manifest;
            await using (var read = manifestEntry.Open())
            {
                manifest = (await JsonNode.ParseAsync(read))!;
            }
            manifest["files"]![0]!["sha256"] = Convert.ToHexStringLower(SHA256.HashData(content));
            manifestEntry.Delete();
            await using (var write = zip.CreateEntry("manifest.json").Open())
            {
                await JsonSerializer.SerializeAsync(write, manifest);
            }
        }

        foreach (var (bad, expected) in new[] { (truncated, "not a Hearth backup"), (flipped, "hearth.db"), (forged, "integrity check") })
        {
            Assert.Contains(expected, await RefusedAsync(bad, target));
        }
    }

    [SqliteFact("restore writes a SQLite data folder")]
    public async Task ARestoreWritesNoMoreThanItsManifestPromisesAndNothingWhenThePromiseCannotBeKept()
    {
        using var live = new DataFolder();
        using var target = new DataFolder();
        var archive = await BackUpASmallInstanceAsync(live);
        // The old key's entry swapped for 64 MB of zeros (a few hundred KB packed), its manifest line left as it was.
        var swollen = archive + ".swollen";
        File.Copy(archive, swollen);
        using (var zip = ZipFile.Open(swollen, ZipArchiveMode.Update))
        {
            zip.GetEntry("keys/key-old.xml")!.Delete();
            await using var write = zip.CreateEntry("keys/key-old.xml", CompressionLevel.Optimal).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 64; i++)
            {
                await write.WriteAsync(zeros);
            }
        }
        var beyondTheDisk = await AlteredCopyAsync(archive, ".beyond", manifest => manifest["files"]![0]!["bytes"] = 1L << 50);
        var bulkyManifest = await AlteredCopyAsync(archive, ".bulky", manifest => manifest["padding"] = new string('x', 2 << 20));
        var holeInTheList = await AlteredCopyAsync(archive, ".hole", manifest => manifest["files"]!.AsArray().Add(null));
        var listedTwice = await AlteredCopyAsync(archive, ".twice", manifest => manifest["files"]!.AsArray().Add(manifest["files"]![0]!.DeepClone()));

        foreach (var (bad, expected) in new[]
        {
            (swollen, "keys/key-old.xml in"),
            (beyondTheDisk, "MB free"),
            (bulkyManifest, "larger than a Hearth backup's"),
            (holeInTheList, "its manifest is not one"),
            (listedTwice, "lists hearth.db more than once"),
        })
        {
            Assert.Contains(expected, await RefusedAsync(bad, target));
        }
        Assert.Contains("longer than the", await RefusedAsync(swollen, target));

        // The archive itself, untouched, still restores.
        var control = await HearthCommand.RunAsync("restore", archive, "--data", target.Path);
        Assert.True(control.ExitCode == 0, control.ToString());
    }

    [Fact]
    public async Task OnPostgreSqlBackupAndRestoreSendTheOperatorToPgDump()
    {
        using var data = new DataFolder();
        var postgres = new Dictionary<string, string> { ["HEARTH_DATABASE"] = "postgres://hearth:secret@127.0.0.1:1/hearth" };
        var archive = Path.Combine(Path.GetTempPath(), "hearth-tests", Guid.NewGuid().ToString("N") + ".zip");

        var backup = await HearthCommand.RunAsync(["backup", archive, "--data", data.Path], postgres, input: null);
        var restore = await HearthCommand.RunAsync(["restore", archive, "--data", data.Path], postgres, input: null);

        Assert.True(backup.ExitCode == 1, backup.ToString());
        Assert.Contains("pg_dump", backup.Stderr);
        Assert.True(restore.ExitCode == 1, restore.ToString());
        Assert.Contains("pg_dump", restore.Stderr);
        Assert.False(File.Exists(archive));
    }

    [SqliteFact("hearth backup copies the SQLite database")]
    public async Task TheBackupArchiveIsReadableByItsOwnerOnlyAndItsManifestGivesEachFilesLengthAndSha256()
    {
        using var live = new DataFolder();
        var archive = await BackUpASmallInstanceAsync(live);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(archive));
        }
        // Written under another name and renamed: neither the unfinished archive nor the database's copy is left beside it.
        Assert.Equal([archive], Directory.GetFiles(live.Path, Path.GetFileName(archive) + "*"));

        using var zip = ZipFile.OpenRead(archive);
        JsonElement manifest;
        await using (var read = zip.GetEntry("manifest.json")!.Open())
        {
            manifest = (await JsonDocument.ParseAsync(read)).RootElement.Clone();
        }
        Assert.Equal("hearth-backup", manifest.GetProperty("format").GetString());
        Assert.Equal(1, manifest.GetProperty("version").GetInt32());
        var version = await HearthCommand.RunAsync("--version");
        Assert.Equal(version.Stdout.Trim(), manifest.GetProperty("hearth").GetString());
        Assert.Equal(await LastMigrationAsync(live.DatabasePath), manifest.GetProperty("lastMigration").GetString());

        var listed = manifest.GetProperty("files").EnumerateArray()
            .ToDictionary(f => f.GetProperty("path").GetString()!, f => (Bytes: f.GetProperty("bytes").GetInt64(), Sha256: f.GetProperty("sha256").GetString()));
        var held = zip.Entries.Where(e => e.FullName != "manifest.json").ToList();
        Assert.Equal(["hearth.db", "keys/key-old.xml"], listed.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(listed.Keys.Order(StringComparer.Ordinal), held.Select(e => e.FullName).Order(StringComparer.Ordinal));
        foreach (var entry in held)
        {
            using var content = new MemoryStream();
            await using (var read = entry.Open())
            {
                await read.CopyToAsync(content);
            }
            Assert.Equal(listed[entry.FullName].Bytes, content.Length);
            Assert.Equal(listed[entry.FullName].Sha256, Convert.ToHexStringLower(SHA256.HashData(content.ToArray())));
        }
    }

    [SqliteFact("hearth backup copies a SQLite data folder")]
    public async Task BackupLeavesOutTheOutboxAndTheDatabaseCopiesMadeBeforeMigrations()
    {
        using var live = new DataFolder();
        using var files = new DataFolder();
        Directory.CreateDirectory(files.Path);
        Assert.Equal(0, (await HearthCommand.RunAsync("sites", "add", "blog", "--origin", "https://blog.example", "--data", live.Path)).ExitCode);
        Directory.CreateDirectory(Path.Combine(live.Path, "keys"));
        await File.WriteAllTextAsync(Path.Combine(live.Path, "keys", "key-old.xml"), OldKey);
        Directory.CreateDirectory(Path.Combine(live.Path, "outbox"));
        await File.WriteAllTextAsync(Path.Combine(live.Path, "outbox", "20261201-120000-reset.eml"), "Subject: Reset your password\r\n\r\nhttps://blog.example/reset?t=x");
        File.Copy(live.DatabasePath, Path.Combine(live.Path, "hearth.db.20261201120000.bak"));
        var archive = Path.Combine(files.Path, "hearth.zip");

        var backup = await HearthCommand.RunAsync("backup", archive, "--data", live.Path);

        Assert.True(backup.ExitCode == 0, backup.ToString());
        using var zip = ZipFile.OpenRead(archive);
        Assert.Equal(["hearth.db", "keys/key-old.xml", "manifest.json"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        JsonElement manifest;
        await using (var read = zip.GetEntry("manifest.json")!.Open())
        {
            manifest = (await JsonDocument.ParseAsync(read)).RootElement.Clone();
        }
        Assert.Equal(["hearth.db", "keys/key-old.xml"],
            manifest.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()!).Order(StringComparer.Ordinal));
    }

    [SqliteFact("hearth backup copies the SQLite database")]
    public async Task BackupRefusesToWriteOverAnExistingFileAndLeavesItsBytesAsTheyWere()
    {
        using var live = new DataFolder();
        using var files = new DataFolder();
        Directory.CreateDirectory(files.Path);
        Assert.Equal(0, (await HearthCommand.RunAsync("sites", "add", "blog", "--origin", "https://blog.example", "--data", live.Path)).ExitCode);
        var archive = Path.Combine(files.Path, "hearth.zip");
        var first = await HearthCommand.RunAsync("backup", archive, "--data", live.Path);
        Assert.True(first.ExitCode == 0, first.ToString());
        var before = await File.ReadAllBytesAsync(archive);
        // The instance changed since, so a backup written over the first would not be the same bytes.
        Assert.Equal(0, (await HearthCommand.RunAsync("sites", "add", "shop", "--origin", "https://shop.example", "--data", live.Path)).ExitCode);
        // And a file that is no backup at all, named by mistake.
        var notes = Path.Combine(files.Path, "notes.txt");
        await File.WriteAllTextAsync(notes, "not a backup");

        foreach (var (existing, bytes) in new[] { (archive, before), (notes, "not a backup"u8.ToArray()) })
        {
            var again = await HearthCommand.RunAsync("backup", existing, "--data", live.Path);

            Assert.True(again.ExitCode == 1, again.ToString());
            Assert.Contains($"{existing} already exists", again.Stderr);
            Assert.Contains("nothing was written", again.Stderr);
            Assert.Equal(bytes, await File.ReadAllBytesAsync(existing));
        }
        Assert.Equal([archive, notes], Directory.GetFileSystemEntries(files.Path).Order(StringComparer.Ordinal));
    }

    [SqliteFact("restore writes a SQLite data folder")]
    public async Task RestoreRefusesAnArchiveFromANewerHearthAndCreatesOrFillsNoFolder()
    {
        using var live = new DataFolder();
        using var target = new DataFolder();
        var archive = await BackUpASmallInstanceAsync(live);
        const string Future = "29991231235959_OnlyANewerHearthKnows";
        var newerDatabase = await AlteredCopyAsync(archive, ".newer-database", manifest =>
        {
            manifest["hearth"] = "99.0.0";
            manifest["lastMigration"] = Future;
        });
        var newerArchive = await AlteredCopyAsync(archive, ".newer-archive", manifest =>
        {
            manifest["hearth"] = "99.0.0";
            manifest["version"] = 2;
        });

        foreach (var (newer, named) in new[] { (newerDatabase, $"migration {Future}"), (newerArchive, "archive version 2") })
        {
            // Into a folder that does not exist yet, and into one that exists and is empty.
            foreach (var exists in new[] { false, true })
            {
                if (exists)
                {
                    Directory.CreateDirectory(target.Path);
                }

                var restore = await HearthCommand.RunAsync("restore", newer, "--data", target.Path);

                Assert.True(restore.ExitCode == 1, restore.ToString());
                Assert.Contains("newer Hearth (99.0.0", restore.Stderr);
                Assert.Contains(named, restore.Stderr);
                Assert.Contains("Nothing was restored", restore.Stderr);
                if (exists)
                {
                    Assert.Empty(Directory.GetFileSystemEntries(target.Path));
                    Directory.Delete(target.Path);
                }
                else
                {
                    Assert.False(Directory.Exists(target.Path), restore.ToString());
                }
                Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(target.Path)!, $".{Path.GetFileName(target.Path)}.restoring-*"));
            }
        }

        // The same archive with its manifest rewritten but not changed restores: what refused the two above is only what
        // was changed in them, every file still has the length and SHA-256 its manifest gives.
        var rewritten = await AlteredCopyAsync(archive, ".rewritten", _ => { });
        var control = await HearthCommand.RunAsync("restore", rewritten, "--data", target.Path);
        Assert.True(control.ExitCode == 0, control.ToString());
    }

    [SqliteFact("restore writes a SQLite data folder")]
    public async Task RestoreRefusesAnArchiveThatHoldsAFileItsManifestDoesNotList()
    {
        using var live = new DataFolder();
        using var target = new DataFolder();
        var archive = await BackUpASmallInstanceAsync(live);
        // A write-ahead log SQLite would replay into the restored database, and a key the instance would trust.
        string[] strays = ["hearth.db-wal", "keys/key-planted.xml"];

        for (var i = 0; i < strays.Length; i++)
        {
            var planted = await AlteredCopyAsync(archive, $".stray-{i}", _ => { },
                new Dictionary<string, byte[]> { [strays[i]] = "planted"u8.ToArray() });

            Assert.Contains($"holds {strays[i]}, which its manifest does not list", await RefusedAsync(planted, target));
        }
    }

    [SqliteFact("restore writes a SQLite data folder")]
    public async Task RestoreRefusesAnArchiveHoldingANameTwiceAndARefusalLeavesNoFolderItMadeOnTheWay()
    {
        using var live = new DataFolder();
        using var target = new DataFolder();
        var archive = await BackUpASmallInstanceAsync(live);
        // A second database after the real one: only the first would be checked, and which one is read is up to the reader.
        var twice = await AlteredCopyAsync(archive, ".twice", _ => { }, new Dictionary<string, byte[]> { ["hearth.db"] = "another"u8.ToArray() });
        // Into a folder two levels below one that does not exist yet.
        var deep = Path.Combine(target.Path, "not-yet", "deeper", "data");

        var restore = await HearthCommand.RunAsync("restore", twice, "--data", deep);

        Assert.True(restore.ExitCode == 1, restore.ToString());
        Assert.Contains("holds hearth.db more than once", restore.Stderr);
        Assert.Contains("Nothing was restored", restore.Stderr);
        Assert.False(Directory.Exists(target.Path), restore.ToString());

        var restored = await HearthCommand.RunAsync("restore", archive, "--data", deep);
        Assert.True(restored.ExitCode == 0, restored.ToString());
        Assert.True(File.Exists(Path.Combine(deep, "hearth.db")));
    }

    [SqliteFact("restore writes a SQLite data folder")]
    public async Task ASuccessfulRestoreSaysRestoredAndWhichDataFolderToStartTheServerWith()
    {
        using var live = new DataFolder();
        using var target = new DataFolder();
        var archive = await BackUpASmallInstanceAsync(live);

        var restore = await HearthCommand.RunAsync("restore", archive, "--data", target.Path);

        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal($"hearth: restored {archive} into {target.Path}; start the server with --data {target.Path}.", restore.Stderr.TrimEnd());
        Assert.True(File.Exists(target.DatabasePath), restore.ToString());
    }

    /// <summary>
    /// A copy of <paramref name="archive"/> with its manifest changed by <paramref name="edit"/> and the files in
    /// <paramref name="added"/> put in; every file that was backed up stays as it was, byte for byte.
    /// </summary>
    /// <summary>Runs a restore that must be refused: exit code 1, no data folder and no unpacked copy left; its stderr.</summary>
    static async Task<string> RefusedAsync(string archive, DataFolder target)
    {
        var restore = await HearthCommand.RunAsync("restore", archive, "--data", target.Path);
        Assert.True(restore.ExitCode == 1, restore.ToString());
        Assert.Contains("Nothing was restored", restore.Stderr);
        Assert.False(Directory.Exists(target.Path), restore.ToString());
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(target.Path)!, $".{Path.GetFileName(target.Path)}.restoring-*"));
        return restore.Stderr;
    }

    static async Task<string> AlteredCopyAsync(string archive, string suffix, Action<JsonNode> edit, IReadOnlyDictionary<string, byte[]>? added = null)
    {
        var copy = archive + suffix;
        File.Copy(archive, copy);
        using var zip = ZipFile.Open(copy, ZipArchiveMode.Update);
        var entry = zip.GetEntry("manifest.json")!;
        JsonNode manifest;
        await using (var read = entry.Open())
        {
            manifest = (await JsonNode.ParseAsync(read))!;
        }
        edit(manifest);
        entry.Delete();
        await using (var write = zip.CreateEntry("manifest.json").Open())
        {
            await JsonSerializer.SerializeAsync(write, manifest);
        }
        foreach (var (name, content) in added ?? new Dictionary<string, byte[]>())
        {
            await using var write = zip.CreateEntry(name).Open();
            await write.WriteAsync(content);
        }
        return copy;
    }

    static async Task<string?> LastMigrationAsync(string database)
    {
        using var db = new SqliteConnection($"Data Source={database};Pooling=False");
        await db.OpenAsync();
        var command = db.CreateCommand();
        command.CommandText = "SELECT MAX(MigrationId) FROM __EFMigrationsHistory";
        return (string?)await command.ExecuteScalarAsync();
    }

    static async Task<string> BackUpASmallInstanceAsync(DataFolder live)
    {
        Assert.Equal(0, (await HearthCommand.RunAsync("sites", "add", "blog", "--origin", "https://blog.example", "--data", live.Path)).ExitCode);
        Directory.CreateDirectory(Path.Combine(live.Path, "keys"));
        await File.WriteAllTextAsync(Path.Combine(live.Path, "keys", "key-old.xml"), OldKey);
        // Beside the database, so the test's folder takes it away; a backup holds only the instance's own files.
        var archive = Path.Combine(live.Path, "backup.zip");
        var backup = await HearthCommand.RunAsync("backup", archive, "--data", live.Path);
        Assert.True(backup.ExitCode == 0, backup.ToString());
        var again = await HearthCommand.RunAsync("backup", archive, "--data", live.Path);
        Assert.True(again.ExitCode == 1, again.ToString());
        return archive;
    }

    const string OldKey = "<key id=\"00000000-0000-0000-0000-000000000001\" version=\"1\" />";

    static string Token(string secret, string sub)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return SsoTokens.Sign(secret, new { sub, name = "Person " + sub, aud = "blog", iat = now, exp = now + 600 });
    }
}
