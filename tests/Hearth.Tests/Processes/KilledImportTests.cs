using System.Diagnostics;
using Hearth.Tests.Portability;
using Microsoft.Data.Sqlite;

namespace Hearth.Tests.Processes;

/// <summary>
/// <c>hearth import</c> killed half-way (a lost terminal, an out-of-memory kill): the rows it had staged, each holding an
/// author's name and address, must not stay in the data folder for good. On SQLite they are in a file of the run's own
/// in the imports folder. The run is the site's import going on until it falls silent; then the server's sweep removes
/// what it staged, and the same file imported again finishes the job.
/// </summary>
public class KilledImportTests
{
    const int Threads = 40, PerThread = 1_000;

    [SqliteFact("reads the data folder's SQLite file while the command runs; the sweep is the same code on PostgreSQL")]
    public async Task AKilledImportHoldsTheSiteUntilSilentThenItsStagedRowsAreSweptAndARerunFinishes()
    {
        using var data = new DataFolder();
        var (file, import, _, feed) = await StagingAsync(data, "k");
        // Killed as soon as it has staged something, long before its end (tens of thousands of comments to go).
        await using (feed)
        using (import)
        {
            import.Kill();
            await import.WaitForExitAsync();
        }
        Assert.Equal(1, Scalar(data, """SELECT COUNT(*) FROM "ImportJobs" WHERE "Status" = 'running' AND "FileName" = 'big.xml'"""));
        Assert.True(StagedRows(data) > 0, "the killed run's staged rows were not left behind");

        // Until it has been silent for two minutes, the run still holds the site.
        var meanwhile = await HearthCommand.RunAsync("import", "disqus", file, "--site", "blog", "--data", data.Path);
        Assert.Equal(1, meanwhile.ExitCode);
        Assert.Contains("An import into site 'blog' is going on", meanwhile.Stderr);

        // Two minutes pass without news; the server, started, sweeps at once.
        Execute(data, """UPDATE "ImportJobs" SET "UpdatedAt" = datetime('now', '-3 minutes')""");
        using (var server = await HearthProcess.StartAsync(data.Path))
        {
            var deadline = Stopwatch.StartNew();
            while (StagingFiles(data).Length > 0)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(1), "the staged rows were not swept");
                await Task.Delay(100);
            }
        }
        Assert.Equal(1, Scalar(data, """SELECT COUNT(*) FROM "ImportJobs" WHERE "Status" = 'failed'"""));

        var again = await HearthCommand.RunAsync("import", "disqus", file, "--site", "blog", "--data", data.Path);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(Threads * PerThread, Scalar(data, """SELECT COUNT(*) FROM "Comments" WHERE "ImportSource" IS NOT NULL"""));
        Assert.Equal(0, Scalar(data, """SELECT COUNT(*) FROM "ImportRows" """));
        Assert.Empty(StagingFiles(data));
        Assert.Equal(1, Scalar(data, """SELECT COUNT(*) FROM "ImportJobs" WHERE "Status" = 'done'"""));
    }

    /// <summary>INT is what a terminal sends on Ctrl+C; TERM what a service manager or a container runtime sends.</summary>
    [SqliteTheory("reads the data folder's SQLite file while the command runs; the clean-up is the same code on PostgreSQL")]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task AnImportStoppedWithCtrlCOrSigtermEndsItsRunAndTakesBackWhatItStagedAtOnce(string signal)
    {
        using var data = new DataFolder();
        var (file, import, stderr, feed) = await StagingAsync(data, "c");
        using (import)
        {
            using (var interrupt = Process.Start("kill", ["-" + signal, import.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync();
            }
            // Only now may the command read on: the signal reached it half-way through the file.
            await feed.RestAsync();
            await import.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            var said = await stderr;
            Assert.True(import.ExitCode == 1, said);
            Assert.Contains("The import was stopped; what it had staged is taken back", said);
        }

        Assert.Equal(0, Scalar(data, """SELECT COUNT(*) FROM "ImportRows" """));
        Assert.Empty(StagingFiles(data));
        Assert.Equal(1, Scalar(data, """SELECT COUNT(*) FROM "ImportJobs" WHERE "Status" = 'failed' AND "Error" LIKE 'The command stopped%'"""));
        // The site is free at once: no two minutes of silence to wait.
        var again = await HearthCommand.RunAsync("import", "disqus", file, "--site", "blog", "--data", data.Path);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(Threads * PerThread, Scalar(data, """SELECT COUNT(*) FROM "Comments" WHERE "ImportSource" IS NOT NULL"""));
    }

    /// <summary>
    /// A site, an export of 40,000 comments, and <c>hearth import</c> running on it, returned once it has staged some of
    /// the file. The command reads the export through a named pipe of which the test has written only the first half: it
    /// cannot reach the file's end, however fast the machine or slow the test, until <see cref="Feed.RestAsync"/>.
    /// <see cref="Staging.File"/> is the same export as a plain file, for the runs after.
    /// </summary>
    static async Task<Staging> StagingAsync(DataFolder data, string prefix)
    {
        Assert.Equal(0, (await HearthCommand.RunAsync("sites", "add", "blog", "--origin", "https://blog.example", "--data", data.Path)).ExitCode);
        var export = DisqusFiles.Many(prefix, Threads, PerThread);
        var file = Path.Combine(data.Path, "big.xml");
        await File.WriteAllTextAsync(file, export);
        // Same name as the plain file, so the run's record names big.xml either way.
        var pipe = Path.Combine(data.Path, "pipe", "big.xml");
        Directory.CreateDirectory(Path.GetDirectoryName(pipe)!);
        using (var mkfifo = Process.Start("mkfifo", [pipe]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        var import = Process.Start(HearthProcess.StartInfo(["import", "disqus", pipe, "--site", "blog", "--data", data.Path]))!;
        // Both pipes drained, so the command never waits on a full one.
        _ = import.StandardOutput.ReadToEndAsync();
        var stderr = import.StandardError.ReadToEndAsync();
        var half = export.IndexOf('\n', export.Length / 2) + 1;
        var feed = new Feed(pipe, export[..half], export[half..]);
        try
        {
            var deadline = Stopwatch.StartNew();
            while (StagedRows(data) == 0)
            {
                Assert.False(import.HasExited, "the import ended before it was stopped: " + (import.HasExited ? await stderr : ""));
                Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), "the import staged nothing in two minutes");
                await Task.Delay(20);
            }
            return new Staging(file, import, stderr, feed);
        }
        catch
        {
            // Nothing the test started outlives it.
            import.Kill();
            import.Dispose();
            await feed.DisposeAsync();
            throw;
        }
    }

    sealed record Staging(string File, Process Import, Task<string> Stderr, Feed Feed);

    /// <summary>The writing end of the pipe the import reads: the first half at once, the rest when the test says.</summary>
    sealed class Feed : IAsyncDisposable
    {
        readonly Task<FileStream?> _opened;
        readonly Task _first;
        readonly string _rest;

        public Feed(string pipe, string first, string rest)
        {
            _rest = rest;
            // Opening a pipe's writing end waits for its reader, the command, which may die first: then it never opens.
            _opened = Task.Run(() => (FileStream?)new FileStream(pipe, FileMode.Open, FileAccess.Write));
            _first = WriteAsync(first);
        }

        /// <summary>The rest of the export, then its end; a reader gone meanwhile (stopped or killed) is no failure.</summary>
        public async Task RestAsync()
        {
            await _first;
            await WriteAsync(_rest);
            await DisposeAsync();
        }

        async Task WriteAsync(string text)
        {
            if (await _opened.WaitAsync(TimeSpan.FromMinutes(2)) is not { } stream)
            {
                return;
            }
            try
            {
                await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text));
                await stream.FlushAsync();
            }
            catch (IOException)
            {
                // The command closed its end.
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_opened.IsCompletedSuccessfully && _opened.Result is { } stream)
            {
                try
                {
                    await stream.DisposeAsync();
                }
                catch (IOException)
                {
                }
            }
        }
    }

    static long Scalar(DataFolder data, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={data.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    static void Execute(DataFolder data, string sql) => Scalar(data, sql + "; SELECT 0");

    static string[] StagingFiles(DataFolder data)
    {
        var folder = Path.Combine(data.Path, "imports");
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*.staging") : [];
    }

    /// <summary>Rows in the runs' staging files; a file not yet made, or being written just then, counts none.</summary>
    static long StagedRows(DataFolder data)
    {
        var rows = 0L;
        foreach (var file in StagingFiles(data))
        {
            try
            {
                using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = """SELECT COUNT(*) FROM "ImportRows" """;
                rows += Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (SqliteException)
            {
            }
        }
        return rows;
    }
}
