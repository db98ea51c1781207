using System.Net;
using Hearth.Tests.Accounts;
using Hearth.Tests.Identity;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.Tests.Nodes;

/// <summary>Data Protection keys live in the database: what one node signs, another reads; keys of older data folders come along.</summary>
public sealed class KeysInTheDatabaseTests : IDisposable
{
    readonly MailCatcher _mail = new();

    Dictionary<string, string> Settings => new()
    {
        ["Hearth:Mail:Host"] = "127.0.0.1",
        ["Hearth:Mail:Port"] = _mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Hearth:Mail:Security"] = "None",
        ["Hearth:Mail:PublicUrl"] = "http://localhost",
    };

    /// <summary>Hearth as it kept its keys before: files in keys/ in the data folder.</summary>
    sealed class NodeWithKeyFiles(string data, FakeTimeProvider clock, IReadOnlyDictionary<string, string> settings) : Node(data, clock, settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.Configure<KeyManagementOptions>(keys =>
                keys.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(DataDirectory, "keys")), NullLoggerFactory.Instance)));
        }
    }

    [Fact]
    public async Task ASignInAndAnSsoSecretMadeWithKeyFilesStillWorkAfterTheKeysMoveIntoTheDatabase()
    {
        var data = Node.NewDataDirectory();
        var (clockBefore, clockAfter) = Node.Clocks();
        string site, secret, cookie;
        await using (var before = new NodeWithKeyFiles(data, clockBefore, Settings) { KeepsData = true })
        {
            site = await before.CreateSiteAsync();
            secret = await before.EnableSsoAsync(site);
            cookie = await SignedInCookieAsync(before, "Kept Person");
            Assert.Equal(0, await before.InDatabaseAsync(db => db.DataProtectionKeys.CountAsync()));
        }
        var files = Directory.GetFiles(Path.Combine(data, "keys"), "*.xml");
        Assert.NotEmpty(files);

        await using var after = new Node(data, clockAfter, Settings);
        var client = after.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var token = await client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(after, site)));
        Assert.False(string.IsNullOrEmpty(token));
        Assert.Contains("Kept Person", await AccountPageAsync(client, cookie));
        Assert.Equal(files.Length, await after.InDatabaseAsync(db => db.DataProtectionKeys.CountAsync()));
    }

    [Fact]
    public async Task ASignInMadeOnOneNodeWorksOnAnother()
    {
        var data = Node.NewDataDirectory();
        var (clockA, clockB) = Node.Clocks();
        await using var a = new Node(data, clockA, Settings) { KeepsData = true };
        var cookie = await SignedInCookieAsync(a, "Roaming Person");
        await using var b = new Node(data, clockB, Settings);
        var client = b.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Contains("Roaming Person", await AccountPageAsync(client, cookie));
        Assert.False(Directory.Exists(Path.Combine(data, "keys")), "keys were written to files");
    }

    async Task<string> SignedInCookieAsync(Node node, string name)
    {
        var browser = new Browser(node.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false }));
        var email = $"person-{Guid.NewGuid():N}@mail.example";
        await browser.SignUpAsync(email, name, "a long enough password");
        var link = MailCatcher.Link(await _mail.WaitForAsync(email, "Confirm"), "http://localhost/account/confirm");
        Assert.Contains("Your address is confirmed", await browser.GetAsync(link["http://localhost".Length..]));
        using var signIn = await browser.SignInAsync(email, "a long enough password");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var set = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("hearth.account=", StringComparison.Ordinal));
        return set[..set.IndexOf(';')];
    }

    static async Task<string> AccountPageAsync(HttpClient client, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account");
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return text;
    }

    public void Dispose() => _mail.Dispose();
}
