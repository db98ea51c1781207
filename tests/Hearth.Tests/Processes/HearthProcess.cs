using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Hearth.Tests.Processes;

/// <summary>
/// The real server as a child process: `dotnet Hearth.dll` started directly, so the child is the server itself
/// (the dotnet host runs the app in its own process) and killing it is killing the server.
/// </summary>
public sealed class HearthProcess : IDisposable
{
    // Only there to end a start that hangs; a loaded machine can take over a minute to start the server.
    static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(180);
    const int KeptOutputLines = 400;

    readonly Queue<string> _output = new();

    HearthProcess(Process process, Uri address, string dataDirectory)
    {
        Process = process;
        Address = address;
        DataDirectory = dataDirectory;
        Client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public Process Process { get; }
    public Uri Address { get; }
    public string DataDirectory { get; }
    public HttpClient Client { get; }

    /// <summary>The last lines the server wrote (stdout and stderr interleaved), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>
    /// Hearth.dll as published for a server when the test script made one (HEARTH_TEST_SERVER: compiled ahead of time,
    /// so each of the hundreds of commands these tests run starts in about half the time); else the build beside the tests.
    /// </summary>
    public static string DllPath => Environment.GetEnvironmentVariable(PublishedVariable) is { Length: > 0 } published
        ? Path.GetFullPath(published)
        : Path.Combine(AppContext.BaseDirectory, "Hearth.dll");

    public const string PublishedVariable = "HEARTH_TEST_SERVER";

    static string InstallFolder => Path.GetDirectoryName(DllPath)!;

    /// <summary>
    /// Starts a server on a free loopback port and returns once /healthz answers 200. The address and folder are given
    /// as `--urls URL --data DIR`, or after `serve` and any more <paramref name="serveArguments"/>, or (with
    /// <paramref name="noArguments"/>) as ASPNETCORE_URLS and HEARTH_DATA to a bare `hearth`.
    /// </summary>
    public static async Task<HearthProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string>? environment = null,
        IReadOnlyList<string>? serveArguments = null, bool noArguments = false)
    {
        // The free port is released before the child binds it, so another process may take it in between;
        // that shows as a bind failure and is worth another port rather than a failed test.
        for (var attempt = 1; ; attempt++)
        {
            var address = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
            var environmentWithDefaults = new Dictionary<string, string>
            {
                ["Hearth__RateLimits__CommentWritesPerMinute"] = "1000000",
                ["Hearth__RateLimits__CommentsPerAuthorPerMinute"] = "1000000",
                ["Hearth__RateLimits__CommentsPerThreadPerMinute"] = "1000000",
                ["Hearth__RateLimits__CommentsPerAddressOnThreadPerMinute"] = "1000000",
                ["Hearth__RateLimits__VotesPerMinute"] = "1000000",
                // One log line per request would cost more CPU than the request on a small machine.
                ["Logging__LogLevel__Microsoft.AspNetCore.HttpLogging"] = "Warning",
            };
            foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            {
                environmentWithDefaults[key] = value;
            }
            var url = address.ToString().TrimEnd('/');
            if (noArguments)
            {
                environmentWithDefaults["ASPNETCORE_URLS"] = url;
                environmentWithDefaults["HEARTH_DATA"] = dataDirectory;
            }
            string[] args = noArguments ? []
                : serveArguments is null ? ["--urls", url, "--data", dataDirectory]
                : ["serve", "--urls", url, "--data", dataDirectory, .. serveArguments];
            var info = StartInfo(args, environmentWithDefaults);
            var server = new HearthProcess(new Process { StartInfo = info, EnableRaisingEvents = true }, address, dataDirectory);
            server.Process.OutputDataReceived += (_, e) => server.Keep(e.Data);
            server.Process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
            server.Process.Start();
            server.Process.BeginOutputReadLine();
            server.Process.BeginErrorReadLine();

            try
            {
                await server.WaitUntilHealthyAsync();
                return server;
            }
            catch (ServerDidNotStartException) when (attempt < 3 && server.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                server.Dispose();
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// Ends the server the hard way: Process.Kill is SIGKILL on Linux, so nothing in the server runs after it
    /// (no shutdown hooks, no checkpoint, no flush). Returns once the process is gone.
    /// </summary>
    public void Kill()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: false);
        }
        if (!Process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"The server (pid {Process.Id}) was still running 30 s after SIGKILL.");
        }
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }
            Process.WaitForExit(TimeSpan.FromSeconds(30));
        }
        catch (InvalidOperationException)
        {
            // Never started, or already reaped.
        }
        Process.Dispose();
        Client.Dispose();
    }

    async Task WaitUntilHealthyAsync()
    {
        var deadline = DateTime.UtcNow + StartDeadline;
        while (DateTime.UtcNow < deadline)
        {
            if (Process.HasExited)
            {
                // The parameterless wait also drains the redirected output, so the message below is complete.
                Process.WaitForExit();
                throw new ServerDidNotStartException(
                    $"The server exited with code {Process.ExitCode} before it became healthy. Its output:\n{Output}");
            }
            try
            {
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                using var response = await Client.GetAsync("/healthz", attempt.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new ServerDidNotStartException(
            $"The server did not answer /healthz with 200 within {StartDeadline.TotalSeconds} s. Its output:\n{Output}");
    }

    void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > KeptOutputLines)
            {
                _output.Dequeue();
            }
        }
    }

    /// <summary>
    /// `dotnet Hearth.dll ARGS` from the folder Hearth.dll sits in, as an operator runs it from the install folder,
    /// with none of the test runner's Hearth or hosting settings leaking into the child.
    /// </summary>
    internal static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(DotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
            WorkingDirectory = InstallFolder,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var key in info.Environment.Keys.ToList())
        {
            if (key.StartsWith("Hearth__", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("Hearth:", StringComparison.OrdinalIgnoreCase)
                || key.Equals("HEARTH_DATA", StringComparison.OrdinalIgnoreCase)
                || key.Equals("HEARTH_DATABASE", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                || key.Equals("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)
                || key.Equals("URLS", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("Logging__", StringComparison.OrdinalIgnoreCase))
            {
                info.Environment.Remove(key);
            }
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        // On PostgreSQL each data folder has a database of its own, so a restart on the folder finds its data.
        if (TestDatabase.IsPostgres && !info.Environment.ContainsKey("HEARTH_DATABASE"))
        {
            info.Environment["HEARTH_DATABASE"] = TestDatabase.ForDataFolder(DataFolderOf(info));
        }
        return info;
    }

    /// <summary>The data folder a command line names (--data DIR, --data=DIR or HEARTH_DATA), else the default beside the program.</summary>
    static string DataFolderOf(ProcessStartInfo info)
    {
        var args = info.ArgumentList;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--data" && i + 1 < args.Count)
            {
                return Path.GetFullPath(args[i + 1], info.WorkingDirectory);
            }
            if (args[i].StartsWith("--data=", StringComparison.Ordinal))
            {
                return Path.GetFullPath(args[i]["--data=".Length..], info.WorkingDirectory);
            }
        }
        return Path.GetFullPath(info.Environment.TryGetValue("HEARTH_DATA", out var data) && data is { Length: > 0 } ? data : "hearth-data",
            info.WorkingDirectory);
    }

    /// <summary>The dotnet host running the tests (set by the SDK), so the child uses the same runtime.</summary>
    static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";

    sealed class ServerDidNotStartException(string message) : Exception(message);
}

/// <summary>One run of a Hearth command (`dotnet Hearth.dll sites add ...`) to completion.</summary>
public static class HearthCommand
{
    // Only there to end a command that hangs: on a machine loaded well past its two cores, `sites add` on a new data
    // folder (a process started, the database made) took over a minute.
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(180);

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, environment: null, input: null);

    /// <summary>
    /// A run with its own environment (e.g. HEARTH_DATA) and stdin: a pipe holding <paramref name="input"/> and then
    /// closed, so the command never sees a terminal and never waits for one.
    /// </summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, string? input)
    {
        var info = HearthProcess.StartInfo(args, environment);
        info.RedirectStandardInput = true;
        using var process = new Process { StartInfo = info };
        process.Start();
        await process.StandardInput.WriteAsync(input ?? "");
        process.StandardInput.Close();
        // Both pipes are drained at once: a child that fills one while the other is read would never exit.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'hearth {string.Join(' ', args)}' did not finish within {Deadline.TotalSeconds} s.");
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>A fresh data folder that outlives server restarts within one test and is removed at its end.</summary>
public sealed class DataFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hearth-tests", "proc-" + Guid.NewGuid().ToString("N"));

    public string DatabasePath => System.IO.Path.Combine(Path, "hearth.db");

    /// <summary>Whether Hearth keeps data in the folder: its SQLite file, or on PostgreSQL the folder itself (keys, outbox).</summary>
    public bool HoldsData => HoldsDataIn(Path);

    public static bool HoldsDataIn(string folder) =>
        TestDatabase.IsPostgres ? Directory.Exists(folder) : File.Exists(System.IO.Path.Combine(folder, "hearth.db"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
