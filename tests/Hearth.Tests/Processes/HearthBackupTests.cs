using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hearth.Tests.Identity;
using Microsoft.Data.Sqlite;

namespace Hearth.Tests.Processes;

/// <summary>hearth backup and hearth restore: one archive of a running SQLite instance, and back into an empty folder only.</summary>
[Collection(ProcessesCollection.Name)]
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
        foreach (var copy in new[] { killed, running })
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
            Assert.Equal([running], Directory.GetFileSystemEntries(parent, $".{name}.restoring-*"));
        }
        finally
        {
            Directory.Delete(running, recursive: true);
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
            var restore = await HearthCommand.RunAsync("restore", bad, "--data", target.Path);
            Assert.True(restore.ExitCode == 1, restore.ToString());
            Assert.Contains(expected, restore.Stderr);
            Assert.Contains("Nothing was restored", restore.Stderr);
            Assert.False(Directory.Exists(target.Path), restore.ToString());
            Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(target.Path)!, $".{Path.GetFileName(target.Path)}.restoring-*"));
        }
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
