using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Sites;
using Hearth.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.BrowserTests;

/// <summary>
/// The real Hearth server on Kestrel, on a free port of 127.0.0.1, with its data in a fresh folder. Browsers need a
/// real socket, so this is the one place the in-memory test server will not do.
/// </summary>
public class HearthServer : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "hearth-browser-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Real time, which the live stream's timers need, that a test can set back to write "older" comments.</summary>
    public ShiftedClock Clock { get; } = new();

    /// <summary>e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Server-to-server calls (no Origin header), as a seeding script would make them.</summary>
    public HttpClient Api { get; private set; } = null!;

    /// <summary>
    /// The server's PostgreSQL database when the tests run on PostgreSQL (HEARTH_TEST_DATABASE=postgres, a throwaway
    /// cluster the tests start themselves); null on SQLite, in the data folder.
    /// </summary>
    public string? DatabaseAddress { get; } = Hearth.Tests.TestDatabase.IsPostgres ? Hearth.Tests.TestDatabase.Create() : null;

    /// <summary>Settings as configuration keys, e.g. ["Hearth:Live:MaxStreamDuration"] = "00:00:02".</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public HearthServer() => UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Hearth:DataDirectory", DataDirectory);
        builder.UseSetting("Hearth:SeedDemo", "false");
        if (DatabaseAddress is not null)
        {
            builder.UseSetting("Hearth:Database", DatabaseAddress);
        }
        // Lets the seeding client vote as several readers (X-Forwarded-For); browsers send no such header.
        builder.UseSetting("Hearth:TrustForwardedHeaders", "true");
        // Every browser and the seeding client share 127.0.0.1, so one reader's limits would throttle the whole suite.
        builder.UseSetting("Hearth:RateLimits:CommentWritesPerMinute", "100000");
        builder.UseSetting("Hearth:RateLimits:CommentsPerAuthorPerMinute", "100000");
        builder.UseSetting("Hearth:RateLimits:CommentsPerThreadPerMinute", "100000");
        builder.UseSetting("Hearth:RateLimits:CommentsPerAddressOnThreadPerMinute", "100000");
        builder.UseSetting("Hearth:RateLimits:VotesPerMinute", "100000");
        builder.UseSetting("Hearth:RateLimits:SignUpsPerHour", "100000");
        // Every test signs in from the same address within a minute or two.
        builder.UseSetting("Hearth:RateLimits:AccountActionsPerMinute", "100000");
        builder.UseSetting("Hearth:RateLimits:PreviewsPerMinute", "100000");
        builder.UseSetting("Hearth:Live:StreamsPerClient", "1000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.HttpLogging", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel", "Error");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public void Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.Single().TrimEnd('/');
        Api = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The reasons readers gave in reports of the site's comments.</summary>
    public async Task<List<string>> ReportsAsync(string site)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
        return await db.Reports.Where(r => r.SiteId == siteId).Select(r => r.Reason).ToListAsync();
    }

    /// <summary>An account with a confirmed address, as if its owner had signed up and opened the e-mail's link.</summary>
    public async Task CreateAccountAsync(string email, string name, string password)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Hearth.Identity.HearthUser>>();
        var created = await users.CreateAsync(new Hearth.Identity.HearthUser
        {
            UserName = "u" + Guid.NewGuid().ToString("N"),
            Email = email,
            EmailConfirmed = true,
            DisplayName = name,
            CreatedAt = Clock.GetUtcNow().UtcDateTime,
        }, password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", created.Errors.Select(e => e.Description)));
        }
    }

    /// <summary>
    /// Signs the account in to the site's widget, as the sign-in window on Hearth's pages does, and returns the access
    /// token; with it the account posts through the API as itself.
    /// </summary>
    public async Task<string> WidgetTokenAsync(string email, string site)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
        var (session, token) = Hearth.Identity.MemberSession.Start(userId, siteId, Hearth.Identity.MemberSession.Widget, Clock.GetUtcNow().UtcDateTime,
            TimeSpan.FromHours(1), "test");
        db.MemberSessions.Add(session);
        await db.SaveChangesAsync();
        return token;
    }

    /// <summary>Posts a comment as the person signed in with the token; fails unless it is a 201.</summary>
    public async Task<JsonElement> CommentAsMemberAsync(string site, string token, string url, string body, long? parentId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/comments") { Content = JsonContent.Create(new { url, parentId, body }) };
        request.Headers.Authorization = new("Bearer", token);
        var response = await Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Posts as the account with that address, as its widget would once signed in on the site; returns the comment.</summary>
    public async Task<JsonElement> AccountCommentAsync(string email, string site, string url, string body, long? parentId = null) =>
        await CommentAsMemberAsync(site, await WidgetTokenAsync(email, site), url, body, parentId);

    /// <summary>Gives the account a role on the site, as `hearth users grant EMAIL --site SITE --role ROLE` does.</summary>
    public async Task MakeModeratorAsync(string email, string site, Hearth.Identity.SiteRole role = Hearth.Identity.SiteRole.Moderator)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
        db.SiteMembers.Add(new Hearth.Identity.SiteMember { SiteId = siteId, UserId = userId, Role = role, JoinedAt = Clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync();
    }

    /// <summary>Shadow-bans an e-mail address on the site, as a moderator would through the API.</summary>
    public async Task ShadowBanAsync(string site, string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
        db.Bans.Add(new Hearth.Moderation.Ban
        {
            SiteId = siteId, Kind = Hearth.Moderation.Ban.Email, Value = email, Reason = "Trolling", Shadow = true,
            CreatedBy = "Mo", CreatedAt = Clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync();
    }

    /// <summary>Approves every comment waiting on the site, as a moderator would.</summary>
    public async Task ApproveAllAsync(string site)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
        var waiting = await db.Comments.Where(c => c.SiteId == siteId && c.Status == Hearth.Conversations.CommentStatus.Pending).Select(c => c.Id).ToListAsync();
        var decide = scope.ServiceProvider.GetRequiredService<Hearth.Moderation.DecideComments>();
        var moderator = new Hearth.Identity.Member(0, 0, siteId, "Mo", null, null, []);
        await decide.RunAsync(await db.Sites.SingleAsync(s => s.Id == siteId), moderator, waiting, "approve", CancellationToken.None);
    }

    /// <summary>Changes a site's settings straight in the database, as `hearth sites set` does.</summary>
    public async Task ConfigureSiteAsync(string site, Action<Site> change)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        change(await db.Sites.SingleAsync(s => s.Name == site));
        await db.SaveChangesAsync();
        Services.GetRequiredService<SiteDirectory>().Forget(site);
    }

    /// <summary>Creates a site straight in the database, as `hearth sites add NAME --origin ORIGIN` would.</summary>
    public async Task<string> CreateSiteAsync(params string[] origins)
    {
        var name = "site-" + Guid.NewGuid().ToString("N")[..12];
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        db.Sites.Add(new Site { Name = name, Origins = [.. origins], CreatedAt = Clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync();
        Services.GetRequiredService<SiteDirectory>().Forget(name);
        return name;
    }

    /// <summary>
    /// Gives the site a single sign-on secret, as `hearth sites sso NAME` does, and returns a token for one of its
    /// people, signed the way the site's own server would sign it (HS256 over base64url JSON).
    /// </summary>
    public async Task<string> SsoTokenAsync(string site, string sub, string name, params string[] badges)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var entity = await db.Sites.FirstAsync(s => s.Name == site);
        var secrets = scope.ServiceProvider.GetRequiredService<Hearth.Identity.SsoSecrets>();
        var secret = secrets.Read(entity) ?? secrets.Rotate(entity);
        await db.SaveChangesAsync();
        var now = Clock.GetUtcNow().ToUnixTimeSeconds();
        static string Part(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var signed = Part(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT" })) + "."
            + Part(JsonSerializer.SerializeToUtf8Bytes(new { sub, name, aud = site, iat = now, exp = now + 3600, badges }));
        return signed + "." + Part(System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.ASCII.GetBytes(signed)));
    }

    /// <summary>Posts a guest comment through the API and returns it (with its edit token); fails unless it is a 201.</summary>
    public async Task<JsonElement> CommentAsync(string site, string url, string body, long? parentId = null,
        string name = "Guest", string? website = null, string? identifier = null)
    {
        var response = await Api.PostAsJsonAsync($"/api/v1/sites/{site}/comments",
            new { url, identifier, parentId, body, author = new { name, website } });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Writes a comment as if it had been posted <paramref name="ago"/> earlier.</summary>
    public async Task<JsonElement> CommentBeforeAsync(TimeSpan ago, string site, string url, string body, long? parentId = null, string name = "Guest")
    {
        Clock.Shift = -ago;
        try
        {
            return await CommentAsync(site, url, body, parentId, name);
        }
        finally
        {
            Clock.Shift = TimeSpan.Zero;
        }
    }

    public async Task VoteAsync(string site, long id, int value, string voter)
    {
        // Votes count once per client address; the forwarded address stands in for different readers.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/comments/{id}/vote")
        {
            Content = JsonContent.Create(new { value }),
        };
        request.Headers.Add("X-Forwarded-For", voter);
        var response = await Api.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"Vote failed with {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public override async ValueTask DisposeAsync()
    {
        Api?.Dispose();
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (DatabaseAddress is not null)
        {
            Hearth.Tests.TestDatabase.Drop(DatabaseAddress);
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

/// <summary>The system clock, moved by <see cref="Shift"/>; timers still run on real time.</summary>
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Shift { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Shift;
}

public static class CommentJson
{
    public static long Id(this JsonElement comment) => comment.GetProperty("id").GetInt64();
}
