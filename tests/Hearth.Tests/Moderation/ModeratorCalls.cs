using System.Net.Http.Json;
using Hearth.Identity;
using Hearth.Sites;
using Hearth.Tests.Identity;

namespace Hearth.Tests.Moderation;

/// <summary>A site with a moderator, and calls of the moderators' API with their token.</summary>
public static class ModeratorCalls
{
    /// <summary>A site in the given mode, and the API token of a moderator named Mo.</summary>
    public static async Task<(string Site, string Token)> SiteWithModeratorAsync(this HearthApp app, ModerationMode mode = ModerationMode.Post)
    {
        var (site, token, _) = await app.SiteWithTeamMemberAsync("Mo", SiteRole.Moderator, mode);
        return (site, token);
    }

    /// <summary>A site with single sign-on, someone of its team with an API token, and the site's secret.</summary>
    public static async Task<(string Site, string Token, string Secret)> SiteWithTeamMemberAsync(this HearthApp app, string name, SiteRole role,
        ModerationMode mode = ModerationMode.Post)
    {
        var site = await app.CreateSiteAsync(moderation: mode);
        var secret = await app.EnableSsoAsync(site);
        var token = await app.ApiTokenAsync(site, secret, $"{role}-{site}".ToLowerInvariant(), name, role);
        return (site, token, secret);
    }

    public static async Task<HttpResponseMessage> AsModeratorAsync(this HttpClient client, string token, HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", token);
        return await client.SendAsync(request);
    }
}
