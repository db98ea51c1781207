using System.Net;
using System.Net.Http.Json;
using Hearth.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Web;

/// <summary>
/// Hearth with forwarded headers on, and a way to say which machine a request comes from (X-Test-Peer stands for
/// the address of the connection, which the in-memory server does not have).
/// </summary>
public class ProxiedApp : HearthApp
{
    public const string PeerHeader = "X-Test-Peer";

    protected virtual string? KnownProxies => null;
    protected virtual string? KnownNetworks => null;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Hearth:TrustForwardedHeaders"] = "true",
        ["Hearth:KnownProxies"] = KnownProxies ?? "",
        ["Hearth:KnownNetworks"] = KnownNetworks ?? "",
        ["Hearth:RateLimits:PreviewsPerMinute"] = "2",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, PeerFilter>());
    }

    sealed class PeerFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, nextMiddleware) =>
            {
                if (http.Request.Headers[PeerHeader] is { Count: 1 } peer)
                {
                    http.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
                }
                return nextMiddleware(http);
            });
            next(app);
        };
    }
}

public sealed class NamedProxyApp : ProxiedApp
{
    protected override string? KnownProxies => "10.0.0.2, 2001:db8::2";
    protected override string? KnownNetworks => "10.1.0.0/16";
}

public class ForwardedHeadersTests(ProxiedApp app) : IClassFixture<ProxiedApp>
{
    [Fact]
    public async Task XForwardedForFromAClientThatIsNoProxyIsIgnoredForLimitsAndAddressHashes()
    {
        var site = await app.CreateSiteAsync();

        var answers = new List<HttpStatusCode>();
        for (var i = 1; i <= 3; i++)
        {
            using var preview = await PreviewAsync(app, site, peer: "203.0.113.5", forwardedFor: $"198.51.100.{i}");
            answers.Add(preview.StatusCode);
        }
        var hash = await PostedFromAsync(app, site, peer: "203.0.113.5", forwardedFor: "198.51.100.9");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers);
        Assert.Equal(Hash(app, "203.0.113.5"), hash);
    }

    [Fact]
    public async Task XForwardedForFromAProxyOnThisMachineIsHonoured()
    {
        var site = await app.CreateSiteAsync();

        foreach (var peer in new[] { "127.0.0.1", "::1" })
        {
            for (var i = 1; i <= 3; i++)
            {
                using var preview = await PreviewAsync(app, site, peer, forwardedFor: $"198.51.100.{i + (peer == "::1" ? 10 : 20)}");
                Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
            }
        }
        // Only the last address counts: the one the proxy added, not what the client claimed before it.
        var hash = await PostedFromAsync(app, site, peer: "127.0.0.1", forwardedFor: "192.0.2.66, 198.51.100.50");

        Assert.Equal(Hash(app, "198.51.100.50"), hash);
    }

    [Fact]
    public async Task NamedProxiesReplaceThisMachine()
    {
        await using var named = new NamedProxyApp();
        var site = await named.CreateSiteAsync();

        Assert.Equal(Hash(named, "198.51.100.70"), await PostedFromAsync(named, site, peer: "10.0.0.2", forwardedFor: "198.51.100.70"));
        Assert.Equal(Hash(named, "198.51.100.71"), await PostedFromAsync(named, site, peer: "2001:db8::2", forwardedFor: "198.51.100.71"));
        Assert.Equal(Hash(named, "198.51.100.73"), await PostedFromAsync(named, site, peer: "10.1.2.3", forwardedFor: "198.51.100.73"));
        Assert.Equal(Hash(named, "10.2.0.1"), await PostedFromAsync(named, site, peer: "10.2.0.1", forwardedFor: "198.51.100.74"));
        Assert.Equal(Hash(named, "127.0.0.1"), await PostedFromAsync(named, site, peer: "127.0.0.1", forwardedFor: "198.51.100.72"));
    }

    static Task<HttpResponseMessage> PreviewAsync(HearthApp app, string site, string peer, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/preview") { Content = JsonContent.Create(new { body = "Hello" }) };
        request.Headers.Add(ProxiedApp.PeerHeader, peer);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return app.CreateClient().SendAsync(request);
    }

    /// <summary>Posts a comment and returns the address hash it was stored with.</summary>
    static async Task<string?> PostedFromAsync(HearthApp app, string site, string peer, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/comments")
        {
            Content = JsonContent.Create(new { url = ApiCalls.NewPageUrl(), body = $"From {forwardedFor} via {peer}", author = new { name = "Pat" } }),
        };
        request.Headers.Add(ProxiedApp.PeerHeader, peer);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).Id();
        return await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == id).Select(c => c.IpHash).SingleAsync());
    }

    static string Hash(HearthApp app, string address) => app.Services.GetRequiredService<InstanceKey>().Hash("ip", address);
}
