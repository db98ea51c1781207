using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Hearth.Tests.Live;

namespace Hearth.Tests.ManyNodes;

/// <summary>One node of an instance: the whole server in-process, on the data folder and Redis it shares with the others.</summary>
public sealed class Node : HearthApp
{
    readonly string _redis;
    readonly IReadOnlyDictionary<string, string>? _extra;
    readonly Action<IServiceCollection>? _services;

    /// <summary>The instance's data (and, on PostgreSQL, its database) outlives each node: <see cref="TwoNodes"/> removes it.</summary>
    public Node(string dataDirectory, string redis, IReadOnlyDictionary<string, string>? extra = null, Action<IServiceCollection>? services = null)
        : base(dataDirectory, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow))
    {
        (_redis, _extra, _services) = (redis, extra, services);
        KeepsData = true;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(_extra ?? new Dictionary<string, string>())
    {
        ["Hearth:Redis"] = _redis,
    };
}

/// <summary>
/// Two nodes sharing one database (the SQLite file of one data folder, or the PostgreSQL database the tests give that
/// folder) and one throwaway Redis, as two servers behind a load balancer would.
/// </summary>
public class TwoNodes : IAsyncLifetime
{
    /// <summary>Tests with two nodes run one class at a time: each starts two servers and a Redis.</summary>
    public const string Collection = "Two nodes";

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "hearth-tests", Guid.NewGuid().ToString("N"));
    public RedisServer Redis { get; private set; } = null!;
    public Node A { get; private set; } = null!;
    public Node B { get; private set; } = null!;

    protected virtual IReadOnlyDictionary<string, string>? Extra => null;

    /// <summary>What a test puts into both nodes' services (a database interceptor that holds a step, say).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Services node A runs with instead of its own (e.g. a change bus that loses every message).</summary>
    protected virtual Action<IServiceCollection>? ServicesOfA => null;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        try
        {
            A = new Node(Folder, Redis.Address, Extra, services =>
            {
                ConfigureServices(services);
                ServicesOfA?.Invoke(services);
            });
            _ = A.Server; // the first node prepares the database; the second finds it ready
            B = new Node(Folder, Redis.Address, Extra, ConfigureServices);
            _ = B.Server;
        }
        catch
        {
            // A fixture that fails to start is not disposed: nothing it started may outlive it.
            await Redis.DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
        await Redis.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (TestDatabase.IsPostgres)
        {
            TestDatabase.Drop(TestDatabase.ForDataFolder(Folder));
        }
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static async Task<(HttpResponseMessage Response, SseReader Reader)> OpenAsync(HttpClient client, string site, string url,
        string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/live?url={Uri.EscapeDataString(url)}");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reader = new SseReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("ready", (await reader.NextAsync()).Type);
        return (response, reader);
    }
}
