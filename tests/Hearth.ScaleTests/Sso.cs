using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hearth.Identity;
using Microsoft.EntityFrameworkCore;

namespace Hearth.ScaleTests;

/// <summary>Single sign-on as a shop's server does it: a secret from `hearth sites sso`, and HS256 tokens signed by hand.</summary>
public static class Sso
{
    /// <summary>The site's secret, made by `hearth sites sso` on the machine of the given node.</summary>
    public static async Task<string> SecretAsync(this Instance instance, NodeHandle node, string site) =>
        (await instance.CommandAsync(node, "sites", "sso", site)).GetProperty("ssoSecret").GetString()!;

    public static string Token(string secret, string site, string sub, string name)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT" }));
        var body = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { sub, name, aud = site, iat = now, exp = now + 600 }));
        var signature = Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(header + "." + body)));
        return $"{header}.{body}.{signature}";
    }

    /// <summary>Trades a token for an access token on that node.</summary>
    public static async Task<string> SignInAsync(this NodeHandle node, string site, string token)
    {
        using var response = await node.Client.SendAsync(HttpMethod.Post, $"/api/v1/sites/{site}/sessions/sso", new { token });
        var answer = await Api.Json(response, HttpStatusCode.OK, $"signing in on {node}");
        return answer.GetProperty("accessToken").GetString()!;
    }

    /// <summary>
    /// A moderator of the site with an API token: signed in through the site's single sign-on on node A, then given the
    /// role and a token as `hearth users grant` and the account page would (the account page has tests of its own).
    /// </summary>
    public static async Task<string> ModeratorTokenAsync(this Instance instance, string site)
    {
        var secret = await instance.SecretAsync(instance.A, site);
        var sub = "mod-" + site;
        await instance.A.SignInAsync(site, Token(secret, site, sub, "Mo " + site[^4..]));
        var token = SessionTokens.NewToken();
        await using var db = instance.OpenDatabase();
        var userId = await db.UserLogins.Where(l => l.ProviderKey == sub).Select(l => l.UserId).SingleAsync();
        var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
        await db.SiteMembers.Where(m => m.SiteId == siteId && m.UserId == userId)
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.Role, SiteRole.Moderator));
        var now = DateTime.UtcNow;
        db.MemberSessions.Add(new MemberSession
        {
            UserId = userId, SiteId = siteId, Kind = MemberSession.Api, TokenHash = SessionTokens.Hash(token),
            CreatedAt = now, LastSeenAt = now, ExpiresAt = now.AddDays(1),
        });
        await db.SaveChangesAsync();
        return token;
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
