using System.Diagnostics;
using System.Text.Json;
using Hearth.Tests.Identity;

namespace Hearth.Tests.Processes;

/// <summary>The SQLite backup docs/deployment.md gives: an online copy of hearth.db alone is the whole instance, keys included.</summary>
public sealed class BackupAndRestoreTests
{
    [SqliteFact("it backs up the SQLite file with sqlite3; PostgreSQL is backed up with pg_dump")]
    public async Task AnOnlineBackupOfTheDatabaseRestoredAloneServesTheSameThreadsAndSingleSignOn()
    {
        using var live = new DataFolder();
        using var restored = new DataFolder();
        Assert.Equal(0, (await HearthCommand.RunAsync("sites", "add", "blog", "--origin", "https://blog.example", "--data", live.Path)).ExitCode);
        var sso = await HearthCommand.RunAsync("sites", "sso", "blog", "--data", live.Path);
        var secret = JsonDocument.Parse(sso.Stdout).RootElement.GetProperty("ssoSecret").GetString()!;
        var url = ApiCalls.NewPageUrl();
        using (var server = await HearthProcess.StartAsync(live.Path))
        {
            await server.Client.CommentAsync("blog", url, "Kept in the backup");
            // Taken while the server runs, as the docs say, into the folder a new instance will use.
            Directory.CreateDirectory(restored.Path);
            var backup = Process.Start(new ProcessStartInfo("sqlite3", [Path.Combine(live.Path, "hearth.db"), $".backup '{Path.Combine(restored.Path, "hearth.db")}'"])
            {
                RedirectStandardError = true,
            })!;
            var errors = await backup.StandardError.ReadToEndAsync();
            await backup.WaitForExitAsync();
            Assert.True(backup.ExitCode == 0, errors);
        }
        Assert.Equal(["hearth.db"], Directory.GetFileSystemEntries(restored.Path).Select(Path.GetFileName));

        using var copy = await HearthProcess.StartAsync(restored.Path);
        var thread = await copy.Client.ThreadAsync("blog", url);
        Assert.Contains("Kept in the backup", thread.ToString());
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = SsoTokens.Sign(secret, new { sub = "customer-7", name = "Restored Person", aud = "blog", iat = now, exp = now + 600 });
        Assert.False(string.IsNullOrEmpty(await copy.Client.AccessTokenAsync("blog", token)));
    }
}
