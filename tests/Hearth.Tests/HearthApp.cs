using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Sites;
using Hearth.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.Tests;

/// <summary>
/// The whole server in-process on a real SQLite file in a fresh folder (or, with HEARTH_TEST_DATABASE=postgres, a
/// fresh PostgreSQL database: see <see cref="TestDatabase"/>), with a clock the test can move.
/// Each test class gets its own instance (and folder, and database) through IClassFixture.
/// </summary>
public class HearthApp : WebApplicationFactory<Program>
{
    public HearthApp()
        : this(Path.Combine(Path.GetTempPath(), "hearth-tests", Guid.NewGuid().ToString("N")), new FakeTimeProvider(DateTimeOffset.UtcNow))
    {
    }

    /// <summary>A node of an instance whose data folder (and so database) another app may share, with its own clock.</summary>
    protected HearthApp(string dataDirectory, FakeTimeProvider clock)
    {
        DataDirectory = dataDirectory;
        Clock = clock;
    }

    public string DataDirectory { get; }
    public FakeTimeProvider Clock { get; }

    /// <summary>
    /// Moves the clock to eight in the morning UTC of the next day, for a test that counts UTC dates: the comments it
    /// writes a few minutes apart then fall on one date whatever the hour the test runs at.
    /// </summary>
    public void MorningOfTheNextDay()
    {
        var now = Clock.GetUtcNow();
        Clock.Advance(now.UtcDateTime.Date.AddDays(1).AddHours(8) - now.UtcDateTime);
    }

    /// <summary>Leaves the data folder behind when stopped, for a node (or a restart) that uses it after this one.</summary>
    public bool KeepsData { get; init; }

    /// <summary>The PostgreSQL database of this instance when the tests run on PostgreSQL; null on SQLite.</summary>
    public string? DatabaseAddress => TestDatabase.IsPostgres ? TestDatabase.ForDataFolder(DataDirectory) : null;

    /// <summary>Settings as configuration keys, e.g. ["Hearth:EditWindow"] = "00:01:00".</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Tests run the server as it ships, not with development conveniences such as uncached static files.
        builder.UseEnvironment("Production");
        builder.UseSetting("Hearth:DataDirectory", DataDirectory);
        if (DatabaseAddress is not null)
        {
            builder.UseSetting("Hearth:Database", DatabaseAddress);
        }
        builder.UseSetting("Hearth:TrustForwardedHeaders", "true");
        builder.UseSetting("Hearth:RateLimits:CommentWritesPerMinute", "100000");
        builder.UseSetting("Hearth:RateLimits:CommentsPerAuthorPerMinute", "100000");
        builder.UseSetting("Hearth:RateLimits:CommentsPerThreadPerMinute", "100000");
        builder.UseSetting("Hearth:RateLimits:CommentsPerAddressOnThreadPerMinute", "100000");
        builder.UseSetting("Hearth:RateLimits:VotesPerMinute", "100000");
        // Tests of who may do what send many account actions (settings changes among them) from one address; the tests
        // of the limit itself set it low (AccountsAppWithLimits).
        builder.UseSetting("Hearth:RateLimits:AccountActionsPerMinute", "100000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>Creates a site straight in the database, as `hearth sites add` would.</summary>
    public async Task<string> CreateSiteAsync(string? name = null, string[]? origins = null, ModerationMode moderation = ModerationMode.Post)
    {
        name ??= "site-" + Guid.NewGuid().ToString("N")[..12];
        _ = Server; // make sure the server (and its storage) has started
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        db.Sites.Add(new Site
        {
            Name = name,
            Origins = [.. origins ?? ["https://blog.example"]],
            Moderation = moderation,
            CreatedAt = Clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync();
        Services.GetRequiredService<SiteDirectory>().Forget(name);
        return name;
    }

    /// <summary>Gives the account with that address a role on the site, as `hearth users grant` does.</summary>
    public Task<int> GrantAsync(string email, string site, Hearth.Identity.SiteRole role) => InDatabaseAsync(async db =>
    {
        var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
        db.SiteMembers.Add(new Hearth.Identity.SiteMember { SiteId = siteId, UserId = userId, Role = role });
        return await db.SaveChangesAsync();
    });

    public async Task<T> InDatabaseAsync<T>(Func<HearthDb, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<HearthDb>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (KeepsData)
        {
            return;
        }
        if (DatabaseAddress is not null)
        {
            TestDatabase.Drop(DatabaseAddress);
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Calls of the public API as a page's script would make them.</summary>
public static class ApiCalls
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string NewPageUrl() => $"https://blog.example/posts/{Guid.NewGuid():N}";

    public static Task<HttpResponseMessage> PostCommentAsync(this HttpClient client, string site, object body,
        string? idempotencyKey = null, string? from = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/comments") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        if (from is not null)
        {
            request.Headers.Add("X-Forwarded-For", from);
        }
        return client.SendAsync(request);
    }

    /// <summary>Posts a guest comment and returns the created comment; fails the test unless it is a 201.</summary>
    public static async Task<JsonElement> CommentAsync(this HttpClient client, string site, string url, string body,
        long? parentId = null, string name = "Guest", string? identifier = null)
    {
        var response = await client.PostCommentAsync(site, new { url, identifier, parentId, body, author = new { name } });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> ThreadAsync(this HttpClient client, string site, string url, string? query = null)
    {
        var response = await client.GetAsync($"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}{query}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Expected 200, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public static long Id(this JsonElement comment) => comment.GetProperty("id").GetInt64();
}
