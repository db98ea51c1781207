using System.Net;
using System.Net.Sockets;

namespace Hearth.Tests.Processes;

/// <summary>
/// HEARTH_DATABASE (Hearth:Database) at start: an address that cannot be used stops the server and the commands with
/// a message naming the setting and never the password; `hearth migrate` applies migrations without serving.
/// </summary>
public class DatabaseSettingTests
{
    const string Password = "n0t-f0r-the-log";

    [Theory]
    [InlineData("mysql://hearth:" + Password + "@127.0.0.1/comments")]
    [InlineData("postgres://hearth:" + Password + "@127.0.0.1:5432")]
    public async Task AServerGivenAnUnusableAddressStopsNamingTheSettingAndNotThePassword(string address)
    {
        using var data = new DataFolder();

        // Were it served, the run would not end and would time out.
        var run = await HearthCommand.RunAsync(["--urls", "http://127.0.0.1:1", "--data", data.Path],
            new Dictionary<string, string> { ["HEARTH_DATABASE"] = address }, input: null);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("Hearth:Database (HEARTH_DATABASE) must be postgres://user:password@host:port/database", run.Stdout + run.Stderr);
        Assert.DoesNotContain(Password, run.Stdout + run.Stderr);
        Assert.False(File.Exists(data.DatabasePath), "A refused setting must not create a SQLite database instead.");
    }

    [Fact]
    public async Task ACommandGivenAnUnusableAddressInTheSettingFailsTheSameWay()
    {
        using var data = new DataFolder();

        var run = await HearthCommand.RunAsync(["--Hearth:Database=postgres://x:" + Password + "@127.0.0.1", "--data", data.Path, "migrate"],
            environment: null, input: null);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("'--Hearth:Database=...' is a server setting", run.Stderr);
        Assert.DoesNotContain(Password, run.Stdout + run.Stderr);

        run = await HearthCommand.RunAsync(["migrate", "--data", data.Path],
            new Dictionary<string, string> { ["Hearth__Database"] = "postgres://x:" + Password + "@127.0.0.1" }, input: null);
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("hearth: Hearth:Database (HEARTH_DATABASE) must be", run.Stderr);
        Assert.DoesNotContain(Password, run.Stdout + run.Stderr);
    }

    [Fact]
    public async Task MigrateReportsADatabaseItCannotReachAndExitsWithOne()
    {
        using var data = new DataFolder();
        // A port nobody listens on: taken and released at once.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var run = await HearthCommand.RunAsync(["migrate", "--data", data.Path],
            new Dictionary<string, string> { ["HEARTH_DATABASE"] = $"postgres://hearth:{Password}@127.0.0.1:{port}/comments?Timeout=5" }, input: null);

        Assert.True(run.ExitCode == 1, run.ToString());
        // EF Core logs the failure too (the console log writes in the background, so in any order with the message).
        Assert.Contains(run.Stderr.Split('\n'), line => line.StartsWith("hearth: ", StringComparison.Ordinal));
        Assert.DoesNotContain(Password, run.Stdout + run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task MigrateAppliesEveryMigrationOnceAndTheServerThenStartsOnTheSameData()
    {
        using var data = new DataFolder();

        var first = await HearthCommand.RunAsync("migrate", "--data", data.Path);
        Assert.True(first.ExitCode == 0, first.ToString());
        var applied = first.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (TestDatabase.IsPostgres)
        {
            // The database of a test starts from a migrated template: nothing is left to apply.
            Assert.Empty(applied);
            Assert.Contains("already up to date", first.Stderr);
            Assert.False(File.Exists(data.DatabasePath), "On PostgreSQL no SQLite file is made.");
        }
        else
        {
            Assert.Contains("Applied 20261125213458_Initial", applied);
            Assert.All(applied, line => Assert.StartsWith("Applied 2", line));
            Assert.Contains($"applied {applied.Length} migrations", first.Stderr);
            Assert.True(File.Exists(data.DatabasePath));
        }

        var again = await HearthCommand.RunAsync("migrate", "--data", data.Path);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal("", again.Stdout);
        Assert.Contains("already up to date", again.Stderr);

        var add = await HearthCommand.RunAsync("sites", "add", "after-migrate", "--origin", "https://blog.example", "--data", data.Path);
        Assert.True(add.ExitCode == 0, add.ToString());
        using var server = await HearthProcess.StartAsync(data.Path);
        using var response = await server.Client.GetAsync("/api/v1/sites/after-migrate/thread?url=https%3A%2F%2Fblog.example%2Fa");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task MigrateRefusesAnUnknownOptionWithItsHelp()
    {
        using var data = new DataFolder();

        var run = await HearthCommand.RunAsync("migrate", "--bogus", "--data", data.Path);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("hearth: Unrecognized command or argument '--bogus'.", run.Stderr);
        Assert.Contains("hearth migrate [options]", run.Stderr);
        Assert.False(File.Exists(data.DatabasePath));
    }

    [PostgresFact("a PostgreSQL server makes the database")]
    public async Task MigrateCreatesAMissingDatabaseAndAppliesEveryMigration()
    {
        using var data = new DataFolder();
        var address = TestDatabase.Unmade();
        try
        {
            var run = await HearthCommand.RunAsync(["migrate", "--data", data.Path],
                new Dictionary<string, string> { ["HEARTH_DATABASE"] = address }, input: null);

            Assert.True(run.ExitCode == 0, run.ToString());
            var applied = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.NotEmpty(applied);
            Assert.All(applied, line => Assert.Matches("^Applied [0-9]{14}_", line));
            Assert.Contains(applied, line => line.EndsWith("_PostgresInitial", StringComparison.Ordinal));
            Assert.False(File.Exists(data.DatabasePath));
        }
        finally
        {
            TestDatabase.Drop(address);
        }
    }

    [PostgresFact("the database is PostgreSQL's")]
    public async Task OnPostgresTheServerKeepsNoDatabaseFileInTheDataFolder()
    {
        using var data = new DataFolder();
        var add = await HearthCommand.RunAsync("sites", "add", "on-postgres", "--origin", "https://blog.example", "--data", data.Path);
        Assert.True(add.ExitCode == 0, add.ToString());

        using (var server = await HearthProcess.StartAsync(data.Path))
        {
            await server.Client.CommentAsync("on-postgres", "https://blog.example/kept", "Kept in PostgreSQL across a restart.");
        }
        using var restarted = await HearthProcess.StartAsync(data.Path);
        var thread = await restarted.Client.ThreadAsync("on-postgres", "https://blog.example/kept");

        Assert.Equal("<p>Kept in PostgreSQL across a restart.</p>", thread.GetProperty("comments")[0].GetProperty("html").GetString()?.Trim());
        Assert.False(File.Exists(data.DatabasePath));
        // The keys behind sign-ins and secrets are in the database with everything else.
        Assert.False(Directory.Exists(Path.Combine(data.Path, "keys")), "Data Protection keys belong in the database.");
    }
}
