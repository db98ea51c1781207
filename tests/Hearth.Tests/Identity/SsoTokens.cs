using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hearth.Identity;
using Hearth.Sites;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Identity;

/// <summary>Single sign-on tokens built by hand, the way a shop's server in any language would build them.</summary>
public static class SsoTokens
{
    /// <summary>A signed token; <paramref name="header"/> replaces the usual header (alg and typ) when given.</summary>
    public static string Sign(string secret, object payload, string alg = "HS256", object? header = null)
    {
        var headerPart = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header ?? new { alg, typ = "JWT" }));
        var body = Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));
        var signature = alg == "none" ? "" : Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(headerPart + "." + body)));
        return $"{headerPart}.{body}.{signature}";
    }

    /// <summary>The usual claims of a person on the site, issued now and good for an hour; pass more to add or replace.</summary>
    public static Dictionary<string, object?> Claims(HearthApp app, string site, string sub = "customer-42", string name = "Dana Fischer",
        params (string Key, object? Value)[] more)
    {
        var now = app.Clock.GetUtcNow().ToUnixTimeSeconds();
        var claims = new Dictionary<string, object?> { ["sub"] = sub, ["name"] = name, ["aud"] = site, ["iat"] = now, ["exp"] = now + 3600 };
        foreach (var (key, value) in more)
        {
            if (value is null)
            {
                claims.Remove(key);
            }
            else
            {
                claims[key] = value;
            }
        }
        return claims;
    }

    /// <summary>Gives the site a secret, as `hearth sites sso NAME` does, and returns it.</summary>
    public static async Task<string> EnableSsoAsync(this HearthApp app, string site)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var entity = await db.Sites.FirstAsync(s => s.Name == site);
        var secret = scope.ServiceProvider.GetRequiredService<SsoSecrets>().Rotate(entity);
        await db.SaveChangesAsync();
        app.Services.GetRequiredService<SiteDirectory>().Forget(site);
        return secret;
    }

    public static Task<HttpResponseMessage> SignInAsync(this HttpClient client, string site, string token, string? from = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/sessions/sso")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { token }),
        };
        if (from is not null)
        {
            request.Headers.Add("X-Forwarded-For", from);
        }
        return client.SendAsync(request);
    }

    /// <summary>Signs in and returns the access token; fails the test unless it is a 200.</summary>
    public static async Task<string> AccessTokenAsync(this HttpClient client, string site, string token)
    {
        var response = await client.SignInAsync(site, token);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Expected 200, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("accessToken").GetString()!;
    }

    public static Task<HttpResponseMessage> PostAsMemberAsync(this HttpClient client, string site, string accessToken, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/comments") { Content = System.Net.Http.Json.JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", accessToken);
        return client.SendAsync(request);
    }

    /// <summary>
    /// Someone the site signs in (sub, name), given a role there (and admin, if asked), with an API token for the
    /// site as the account page makes one (AccountTests covers the page). Returns the API token.
    /// </summary>
    public static async Task<string> ApiTokenAsync(this HearthApp app, string site, string secret, string sub, string name,
        SiteRole? role, bool admin = false)
    {
        await app.CreateClient().AccessTokenAsync(site, Sign(secret, Claims(app, site, sub: sub, name: name)));
        var token = SessionTokens.NewToken();
        await app.InDatabaseAsync(async db =>
        {
            var userId = await db.UserLogins.Where(l => l.ProviderKey == sub).Select(l => l.UserId).SingleAsync();
            var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
            await db.SiteMembers.Where(m => m.SiteId == siteId && m.UserId == userId).ExecuteUpdateAsync(m => m.SetProperty(x => x.Role, role));
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsAdmin, admin));
            var now = app.Clock.GetUtcNow().UtcDateTime;
            db.MemberSessions.Add(new MemberSession
            {
                UserId = userId, SiteId = siteId, Kind = MemberSession.Api, TokenHash = SessionTokens.Hash(token),
                CreatedAt = now, LastSeenAt = now, ExpiresAt = now.AddDays(90),
            });
            return await db.SaveChangesAsync();
        });
        return token;
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
