using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Microsoft.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Hearth.Tests.Accounts;

/// <summary>
/// A real OpenID Connect provider (OpenIddict) on a free loopback port, with one client for Hearth. Its sign-in
/// page is skipped: whoever asks is the person set in <see cref="Person"/>, as if they had just signed in there.
/// </summary>
public sealed class OpenIdProvider : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly string _database;

    public string Authority { get; }
    public (string Subject, string Name, string? Email, bool EmailVerified) Person { get; set; } = ("idp-user-1", "Olga Oidc", "olga@idp.example", true);

    OpenIdProvider(WebApplication app, string authority, string database)
    {
        _app = app;
        _database = database;
        Authority = authority;
    }

    public static async Task<OpenIdProvider> StartAsync(string clientId, string clientSecret, string redirectUri)
    {
        var database = Path.Combine(Path.GetTempPath(), "hearth-tests", $"idp-{Guid.NewGuid():N}.db");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "TestProvider" });
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddDbContext<ProviderDb>(db => db.UseSqlite($"Data Source={database}").UseOpenIddict());
        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<ProviderDb>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris("/connect/authorize").SetTokenEndpointUris("/connect/token");
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email);
                server.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                server.DisableAccessTokenEncryption();
                server.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            });
        var app = builder.Build();
        OpenIdProvider? self = null;
        app.MapMethods("/connect/authorize", ["GET", "POST"], (HttpContext http) =>
        {
            var request = http.GetOpenIddictServerRequest()!;
            var person = self!.Person;
            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, person.Subject).SetClaim(Claims.Name, person.Name);
            if (person.Email is not null)
            {
                identity.SetClaim(Claims.Email, person.Email).SetClaim(Claims.EmailVerified, person.EmailVerified);
            }
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ProviderDb>().Database.EnsureCreatedAsync();
            await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(new OpenIddictApplicationDescriptor
            {
                ClientId = clientId,
                ClientSecret = clientSecret,
                ClientType = ClientTypes.Confidential,
                RedirectUris = { new Uri(redirectUri) },
                Permissions =
                {
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.GrantTypes.AuthorizationCode,
                    Permissions.ResponseTypes.Code, Permissions.Scopes.Email, Permissions.Scopes.Profile,
                },
            });
        }
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        self = new OpenIdProvider(app, address.TrimEnd('/'), database);
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_database);
    }

    sealed class ProviderDb(DbContextOptions<ProviderDb> options) : DbContext(options);
}
