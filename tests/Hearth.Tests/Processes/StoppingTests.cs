using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Hearth.Tests.Processes;

/// <summary>A server told to stop (SIGTERM, as systemd and container runtimes do) lets its leases go before it exits.</summary>
[Collection(ProcessesCollection.Name)]
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
        var connection = $"Data Source={data.DatabasePath};Pooling=False";
        var held = await LeasesAsync(connection);
        for (var i = 0; i < 200 && held.Count < 4; i++)
        {
            await Task.Delay(50);
            held = await LeasesAsync(connection);
        }
        Assert.Equal(4, held.Count);
        Assert.All(held, l => Assert.True(l.ExpiresAt > DateTime.UtcNow, $"{l.Name} was not held"));

        using (var term = Process.Start("kill", ["-TERM", server.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }
        Assert.True(server.Process.WaitForExit(TimeSpan.FromSeconds(30)), "the server did not stop on SIGTERM");

        var stoppedAt = DateTime.UtcNow;
        Assert.All(await LeasesAsync(connection), l => Assert.True(l.ExpiresAt <= stoppedAt, $"{l.Name} still held until {l.ExpiresAt:O}\n{server.Output}"));
    }

    static async Task<List<(string Name, DateTime ExpiresAt)>> LeasesAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Name, ExpiresAt FROM Leases";
        var leases = new List<(string, DateTime)>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                leases.Add((reader.GetString(0), DateTime.SpecifyKind(DateTime.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc)));
            }
        }
        catch (SqliteException)
        {
            // The table is created by the migration the server runs at start.
        }
        return leases;
    }
}
