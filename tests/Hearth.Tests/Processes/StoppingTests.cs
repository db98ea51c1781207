using System.Data.Common;
using System.Diagnostics;

namespace Hearth.Tests.Processes;

/// <summary>A server told to stop (SIGTERM, as systemd and container runtimes do) lets its leases go before it exits.</summary>
public sealed class StoppingTests
{
    [Fact]
    public async Task OnSigtermTheServerLetsItsLeasesGoSoAnotherNodeNeedNotWaitForThemToExpire()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        using var data = new DataFolder();
        using var server = await HearthProcess.StartAsync(data.Path);
        var connection = data.Path;
        var held = await LeasesAsync(connection);
        // Every piece of leased work: the hourly cleanups (expired invitations and stopped imports among them), mail, handing out followed conversations' comments, mailing notifications, and mailing replies to guests.
        string[] all = ["cleanup:IdempotencyCleanup", "cleanup:NotificationCleanup", "cleanup:SessionCleanup", "cleanup:SimilarityBandCleanup", "cleanup:StoppedImportCleanup", "cleanup:TeamInviteCleanup", "mail", "notify:followed", "notify:guests", "notify:mail"];
        for (var i = 0; i < 200 && held.Count < all.Length; i++)
        {
            await Task.Delay(50);
            held = await LeasesAsync(connection);
        }
        Assert.Equal(all, held.Select(l => l.Name).Order(StringComparer.Ordinal));
        Assert.All(held, l => Assert.True(l.ExpiresAt > DateTime.UtcNow, $"{l.Name} was not held"));

        using (var term = Process.Start("kill", ["-TERM", server.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }
        Assert.True(server.Process.WaitForExit(TimeSpan.FromSeconds(30)), "the server did not stop on SIGTERM");

        var stoppedAt = DateTime.UtcNow;
        Assert.All(await LeasesAsync(connection), l => Assert.True(l.ExpiresAt <= stoppedAt, $"{l.Name} still held until {l.ExpiresAt:O}\n{server.Output}"));
    }

    /// <summary>The leases in the instance's database (the data folder's SQLite file, or its PostgreSQL database).</summary>
    static async Task<List<(string Name, DateTime ExpiresAt)>> LeasesAsync(string dataFolder)
    {
        await using var connection = TestDatabase.Open(dataFolder);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "Name", "ExpiresAt" FROM "Leases" """;
        var leases = new List<(string, DateTime)>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var expires = reader.GetValue(1) is DateTime at ? at.ToUniversalTime()
                    : DateTime.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture);
                leases.Add((reader.GetString(0), DateTime.SpecifyKind(expires, DateTimeKind.Utc)));
            }
        }
        catch (DbException)
        {
            // The table is created by the migration the server runs at start.
        }
        return leases;
    }
}
