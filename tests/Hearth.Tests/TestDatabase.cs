using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hearth.Identity;
using Hearth.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hearth.Tests;

/// <summary>
/// Which engine the tests run Hearth on: SQLite files by default; with HEARTH_TEST_DATABASE=postgres, one throwaway
/// PostgreSQL cluster for the whole run (a temp folder, a free loopback port, trust on 127.0.0.1 only), migrated once
/// into a template from which every server under test gets a database of its own in a single CREATE DATABASE.
/// The cluster is stopped and its folder deleted when the test process ends; clusters left by a killed run are
/// cleared by the next one.
/// </summary>
public static class TestDatabase
{
    public const string Variable = "HEARTH_TEST_DATABASE";
    const string Template = "hearth_template";
    const string FolderPrefix = "hearth-pg-";

    public static bool IsPostgres => Environment.GetEnvironmentVariable(Variable)?.Trim().ToLowerInvariant() is "postgres" or "postgresql";

    static readonly Lazy<Cluster> Shared = new(Cluster.Start, LazyThreadSafetyMode.ExecutionAndPublication);
    static readonly ConcurrentDictionary<string, string> ByDataFolder = new(StringComparer.Ordinal);

    /// <summary>A postgres:// address of a new, migrated, empty database.</summary>
    public static string Create() => Shared.Value.CreateDatabase();

    /// <summary>A postgres:// address on the cluster of a database that does not exist yet (drop it with <see cref="Drop"/>).</summary>
    public static string Unmade() => Shared.Value.Address("hearth_" + Guid.NewGuid().ToString("N"));

    /// <summary>The database of a data folder, made on first use, so a server restarted on the same folder finds its data.</summary>
    public static string ForDataFolder(string folder) => ByDataFolder.GetOrAdd(Path.GetFullPath(folder), _ => Create());

    /// <summary>
    /// A connection (not yet open, not pooled) to the database of a data folder: its hearth.db on SQLite, the folder's
    /// database on PostgreSQL. For tests that write rows no endpoint would write.
    /// </summary>
    public static System.Data.Common.DbConnection Open(string dataFolder) => IsPostgres
        ? new NpgsqlConnection(DatabaseAddress.ParsePostgres(ForDataFolder(dataFolder)).ConnectionString + ";Pooling=false")
        : new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataFolder, "hearth.db"),
            Pooling = false,
        }.ToString());

    /// <summary>Drops a database made by <see cref="Create"/>, closing whatever connections are still open to it.</summary>
    public static void Drop(string address)
    {
        if (Shared.IsValueCreated)
        {
            Shared.Value.DropDatabase(new Uri(address).AbsolutePath.Trim('/'));
        }
    }

    /// <summary>
    /// Stops the cluster and deletes its folder now, for a test project that knows when its last test is done: the
    /// test host may be ended before a handler at its exit finishes deleting.
    /// </summary>
    public static void Stop()
    {
        if (Shared.IsValueCreated)
        {
            Shared.Value.Stop();
        }
    }

    /// <summary>
    /// The database server goes away, ending every connection at once, for a test of what Hearth does meanwhile;
    /// every database of the cluster is unreachable until <see cref="RestartServer"/>. Only for a test project whose
    /// tests do not run beside others on the cluster.
    /// </summary>
    /// <remarks>
    /// PostgreSQL's "fast" stop, not "immediate": the tests' cluster commits without waiting for the disk, so a crash of
    /// the server itself would lose what Hearth had rightly been told was stored.
    /// </remarks>
    public static void StopServer() => Shared.Value.StopServer();

    public static void RestartServer() => Shared.Value.RunServer();

    sealed class Cluster
    {
        readonly string _folder;
        readonly string _bin;
        readonly object _gate = new();
        public int Port { get; }

        Cluster(string folder, string bin, int port)
        {
            _folder = folder;
            _bin = bin;
            Port = port;
        }

        string DataPath => Path.Combine(_folder, "data");

        string AdminConnection(string database = "postgres") =>
            $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false;Timeout=30;Command Timeout=120";

        public static Cluster Start()
        {
            var bin = FindBinaries();
            RemoveAbandoned(bin);
            var folder = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(folder);
            OwnForServer(folder);
            var cluster = new Cluster(folder, bin, FreePorts.Next());
            cluster.WatchOwner();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
            try
            {
                // The tests' data is thrown away: no fsync. C collation, as the tests compare text byte by byte.
                cluster.Run("initdb", "-D", cluster.DataPath, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C",
                    "--no-sync");
                cluster.RunServer();
                cluster.Admin($"""CREATE DATABASE "{Template}" """);
                Migrate(cluster.Address(Template));
                return cluster;
            }
            catch
            {
                cluster.Stop();
                throw;
            }
        }

        public string Address(string database) => $"postgres://postgres@127.0.0.1:{Port}/{database}";

        public void RunServer() =>
            Run("pg_ctl", "-D", DataPath, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60", "-o",
                $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_folder} -c fsync=off "
                + "-c synchronous_commit=off -c full_page_writes=off -c max_connections=400", "start");

        public void StopServer() => Run("pg_ctl", "-D", DataPath, "-m", "fast", "-w", "stop");

        public string CreateDatabase()
        {
            var name = "hearth_" + Guid.NewGuid().ToString("N");
            // A template may not be copied by two statements at once.
            lock (_gate)
            {
                Admin($"""CREATE DATABASE "{name}" TEMPLATE "{Template}" """);
            }
            return Address(name);
        }

        public void DropDatabase(string name)
        {
            Admin($"""DROP DATABASE IF EXISTS "{name}" WITH (FORCE)""");
        }

        void Admin(string sql)
        {
            using var connection = new NpgsqlConnection(AdminConnection());
            connection.Open();
            using var command = new NpgsqlCommand(sql, connection);
            command.ExecuteNonQuery();
        }

        static void Migrate(string address)
        {
            var services = new ServiceCollection().Configure<IdentityOptions>(IdentitySetup.ConfigureStores).BuildServiceProvider();
            var connection = DatabaseAddress.ParsePostgres(address).ConnectionString + ";Pooling=false";
            using var db = new PostgresHearthDb(new DbContextOptionsBuilder<PostgresHearthDb>().UseNpgsql(connection)
                .UseApplicationServiceProvider(services).Options);
            db.Database.Migrate();
        }

        public void Stop()
        {
            try
            {
                if (File.Exists(Path.Combine(DataPath, "postmaster.pid")))
                {
                    Run("pg_ctl", "-D", DataPath, "-m", "immediate", "-w", "stop");
                }
            }
            catch (InvalidOperationException)
            {
                // Already stopped; the folder goes all the same.
            }
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        /// <summary>
        /// The test runner may end the test process before its exit handlers finish: a watchdog of its own session stops
        /// the cluster and deletes its folder once the test process is gone, however it ended.
        /// </summary>
        void WatchOwner()
        {
            var script = $"""
                exec >/dev/null 2>&1 </dev/null
                while [ -d /proc/{Environment.ProcessId} ]; do sleep 1; done
                [ -f '{DataPath}/postmaster.pid' ] && '{Path.Combine(_bin, "pg_ctl")}' -D '{DataPath}' -m immediate -w stop
                rm -rf '{_folder}'
                """;
            string[] command = AsRoot ? ["runuser", "-u", "postgres", "--", "sh", "-c", script] : ["sh", "-c", script];
            var info = new ProcessStartInfo("setsid")
            {
                UseShellExecute = false,
                // Pipes to this process rather than the runner's output, which must not wait for the watchdog.
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var arg in command)
            {
                info.ArgumentList.Add(arg);
            }
            Process.Start(info)!.Dispose();
        }

        void Run(string tool, params string[] args) => RunAs(Path.Combine(_bin, tool), args);

        /// <summary>Clusters whose test process is gone (killed before it could stop them) are stopped and deleted.</summary>
        static void RemoveAbandoned(string bin)
        {
            foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
            {
                var owner = Path.GetFileName(folder)[FolderPrefix.Length..].Split('-')[0];
                if (!int.TryParse(owner, out var pid) || IsRunning(pid))
                {
                    continue;
                }
                try
                {
                    var data = Path.Combine(folder, "data");
                    if (File.Exists(Path.Combine(data, "postmaster.pid")))
                    {
                        RunAs(Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
                    }
                }
                catch (InvalidOperationException)
                {
                }
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                }
            }
        }

        static bool IsRunning(int pid)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        /// <summary>PostgreSQL refuses to run as root: as root, the server and its tools run as the postgres account.</summary>
        static bool AsRoot => Environment.UserName == "root";

        static void OwnForServer(string folder)
        {
            if (AsRoot)
            {
                RunProcess("chown", ["postgres:postgres", folder]);
            }
        }

        static void RunAs(string program, IReadOnlyList<string> args) =>
            RunProcess(AsRoot ? "runuser" : program, AsRoot ? ["-u", "postgres", "--", program, .. args] : args);

        static void RunProcess(string program, IReadOnlyList<string> args)
        {
            var info = new ProcessStartInfo(program)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Path.GetTempPath(),
            };
            foreach (var arg in args)
            {
                info.ArgumentList.Add(arg);
            }
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"{program} {string.Join(' ', args)} did not finish within two minutes.");
            }
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"{program} {string.Join(' ', args)} failed with exit code {process.ExitCode}:\n{output.Result}\n{errors.Result}");
            }
        }

        /// <summary>PG_BIN if set, else the newest server under /usr/lib/postgresql (Debian's layout), else the PATH.</summary>
        static string FindBinaries()
        {
            if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } set)
            {
                return set;
            }
            var versions = Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql")
                    .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                    .Where(d => d.Version > 0 && File.Exists(Path.Combine(d.Dir, "bin", "pg_ctl")))
                    .OrderByDescending(d => d.Version)
                    .ToList()
                : [];
            if (versions.Count > 0)
            {
                return Path.Combine(versions[0].Dir, "bin");
            }
            var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
                .FirstOrDefault(d => File.Exists(Path.Combine(d, "pg_ctl")));
            return onPath ?? throw new InvalidOperationException(
                $"{Variable}=postgres needs PostgreSQL's server (initdb, pg_ctl): install the postgresql package, or set PG_BIN.");
        }

    }
}
