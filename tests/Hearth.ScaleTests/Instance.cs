using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Hearth.Identity;
using Hearth.Storage;
using Hearth.Tests;
using Hearth.Tests.Accounts;
using Hearth.Tests.ManyNodes;
using Hearth.Tests.Processes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.ScaleTests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InstanceCollection : ICollectionFixture<Instance>
{
    public const string Name = "Instance";
}

/// <summary>
/// One Hearth instance as an operator runs it on many machines: a throwaway PostgreSQL cluster, a throwaway
/// redis-server and two Hearth nodes, each a separate `dotnet Hearth.dll serve` process with a data folder of its
/// own, all on free loopback ports. Started once for the project's tests (each test makes its own site); a test that
/// kills a node or stops Redis leaves it to <see cref="ReadyAsync"/> to bring them back for the next. Every process
/// is killed when the tests end, whatever their outcome.
/// </summary>
public sealed class Instance : IAsyncLifetime
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), "hearth-scale-" + Guid.NewGuid().ToString("N"));
    readonly Dictionary<string, string> _environment = [];

    public string Database { get; private set; } = "";
    public RedisServer Redis { get; private set; } = null!;

    /// <summary>The instance's outgoing mail (confirmation links, say), whichever node sends it.</summary>
    public MailCatcher Mail { get; } = new();

    /// <summary>The public address the nodes write into e-mailed links; a test follows a link on the node it chooses.</summary>
    public const string PublicUrl = "http://hearth.example";
    public NodeHandle A { get; } = new("A");
    public NodeHandle B { get; } = new("B");
    public IEnumerable<NodeHandle> Nodes => [A, B];

    public async Task InitializeAsync()
    {
        if (!File.Exists(HearthProcess.DllPath))
        {
            throw new InvalidOperationException($"Hearth.dll is not beside the tests ({HearthProcess.DllPath}): build the solution first.");
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        try
        {
            await StartEverythingAsync();
        }
        catch
        {
            // A fixture that fails to start is not disposed: what did start is stopped here.
            KillAll();
            throw;
        }
    }

    async Task StartEverythingAsync()
    {
        Database = TestDatabase.Create();
        Redis = await RedisServer.StartAsync();
        _environment["HEARTH_DATABASE"] = Database;
        _environment["HEARTH_REDIS"] = Redis.Address;
        _environment["Hearth__Mail__Host"] = "127.0.0.1";
        _environment["Hearth__Mail__Port"] = Mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _environment["Hearth__Mail__Security"] = "None";
        _environment["Hearth__Mail__PublicUrl"] = PublicUrl;
        // The remaining limits the nodes' defaults would hit under many clients from one address.
        _environment["Hearth__RateLimits__PreviewsPerMinute"] = "1000000";
        _environment["Hearth__RateLimits__ReportsPerMinute"] = "1000000";
        _environment["Hearth__RateLimits__SignInsPerMinute"] = "1000000";
        _environment["Hearth__RateLimits__AccountActionsPerMinute"] = "1000000";
        await StartAsync(A);
        await StartAsync(B);
        // Both nodes hold connections to Redis (each subscribes to the change bus), beside the one asking.
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Redis.Address + ",allowAdmin=true");
        var clients = await redis.GetServer(Redis.Address).ClientListAsync();
        Assert.True(clients.Length >= 3, $"Redis has {clients.Length} clients; both nodes and the test should be connected.");
    }

    /// <summary>Both nodes running and Redis up, whatever the test before did to them.</summary>
    public async Task ReadyAsync()
    {
        if (!await AcceptsAsync(Redis.Port))
        {
            await Redis.RunAsync();
        }
        foreach (var node in Nodes)
        {
            if (node.Process is null || node.Process.Process.HasExited)
            {
                await StartAsync(node);
            }
        }
    }

    public string DataFolder(NodeHandle node) => Path.Combine(_folder, node.Name);

    async Task StartAsync(NodeHandle node)
    {
        node.Process?.Dispose();
        Directory.CreateDirectory(DataFolder(node));
        node.Process = await HearthProcess.StartAsync(DataFolder(node), _environment, serveArguments: []);
        node.Client = new HttpClient(new CountingHandler(node)) { BaseAddress = node.Process.Address, Timeout = TimeSpan.FromSeconds(60) };
        node.Stream = new HttpClient(new CountingHandler(node)) { BaseAddress = node.Process.Address, Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>`hearth ARGS --data` node's folder, on the instance's database and Redis, as run on that node's machine.</summary>
    public async Task<JsonElement> CommandAsync(NodeHandle node, params string[] args)
    {
        var result = await HearthCommand.RunAsync([.. args, "--data", DataFolder(node)], _environment, input: null);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Stdout).RootElement.Clone();
    }

    /// <summary>A new site whose pages live at https://blog.example, made from node A's machine.</summary>
    public async Task<string> NewSiteAsync(string moderation = "post")
    {
        var name = "scale-" + Guid.NewGuid().ToString("N")[..12];
        await CommandAsync(A, "sites", "add", name, "--origin", "https://blog.example", "--moderation", moderation);
        return name;
    }

    /// <summary>The instance's database itself, for the rows behind what the API says.</summary>
    public PostgresHearthDb OpenDatabase()
    {
        var services = new ServiceCollection().Configure<IdentityOptions>(IdentitySetup.ConfigureStores).BuildServiceProvider();
        var connection = DatabaseAddress.ParsePostgres(Database).ConnectionString + ";Pooling=false";
        return new PostgresHearthDb(new DbContextOptionsBuilder<PostgresHearthDb>().UseNpgsql(connection)
            .UseApplicationServiceProvider(services).Options);
    }

    public async Task DisposeAsync()
    {
        KillAll();
        Mail.Dispose();
        await Redis.DisposeAsync();
        TestDatabase.Drop(Database);
        TestDatabase.Stop();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    void KillAll()
    {
        foreach (var node in Nodes)
        {
            node.Process?.Dispose();
        }
        try
        {
            Redis?.StopAsync().GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
        }
    }

    static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var probe = new System.Net.Sockets.TcpClient();
            await probe.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}

/// <summary>One node: its process, a client for requests and one for streams, and what it answered.</summary>
public sealed class NodeHandle(string name)
{
    public string Name { get; } = name;
    public HearthProcess? Process { get; set; }
    public HttpClient Client { get; set; } = null!;
    public HttpClient Stream { get; set; } = null!;

    /// <summary>Status codes this node answered, for "no 5xx" and "both nodes really served".</summary>
    public ConcurrentDictionary<int, int> Answers { get; } = new();

    public int Answered => Answers.Values.Sum();
    public int ServerErrors => Answers.Where(a => a.Key >= 500).Sum(a => a.Value);

    /// <summary>SIGKILL: nothing in the server runs after it.</summary>
    public void Kill() => Process!.Kill();

    public override string ToString() => $"node {Name}";
}

sealed class CountingHandler(NodeHandle node) : DelegatingHandler(new SocketsHttpHandler
{
    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    MaxConnectionsPerServer = 256,
})
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        node.Answers.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
        if ((int)response.StatusCode >= 500 && node.Process is { } process)
        {
            // A 500 says nothing of why; the server's log at that moment does, for the failure message.
            request.Options.Set(ServerOutput, process.Output);
        }
        return response;
    }

    /// <summary>What the node had written to its log when it answered a request with a 5xx.</summary>
    public static readonly HttpRequestOptionsKey<string> ServerOutput = new("Hearth.ServerOutput");
}
