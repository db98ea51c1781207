using System.Net;
using Hearth.Tests.Live;

namespace Hearth.Tests.ManyNodes;

/// <summary>One node of an instance: the whole server in-process, on the data folder and Redis it shares with the others.</summary>
public sealed class Node(string dataDirectory, string redis, IReadOnlyDictionary<string, string>? extra = null) : HearthApp
{
    protected override IReadOnlyDictionary<string, string> Settings
    {
        get
        {
            var settings = new Dictionary<string, string>(extra ?? new Dictionary<string, string>())
            {
                ["Hearth:DataDirectory"] = dataDirectory,
                ["Hearth:Redis"] = redis,
            };
            // On PostgreSQL the nodes share the database of the shared folder, as they share its SQLite file otherwise.
            if (TestDatabase.IsPostgres)
            {
                settings["Hearth:Database"] = TestDatabase.ForDataFolder(dataDirectory);
            }
            return settings;
        }
    }
}

/// <summary>Two nodes sharing one SQLite file and one throwaway Redis, as two servers behind a load balancer would.</summary>
public class TwoNodes : IAsyncLifetime
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "hearth-tests", Guid.NewGuid().ToString("N"));
    public RedisServer Redis { get; private set; } = null!;
    public Node A { get; private set; } = null!;
    public Node B { get; private set; } = null!;

    protected virtual IReadOnlyDictionary<string, string>? Extra => null;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        A = new Node(Folder, Redis.Address, Extra);
        _ = A.Server; // the first node prepares the database; the second finds it ready
        B = new Node(Folder, Redis.Address, Extra);
        _ = B.Server;
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
        await Redis.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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
