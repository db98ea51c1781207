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
        var site = await app.CreateSiteAsync(moderation: mode);
        var secret = await app.EnableSsoAsync(site);
        var token = await app.ApiTokenAsync(site, secret, "mo-" + site, "Mo", SiteRole.Moderator);
        return (site, token);
    }

    public static async Task<HttpResponseMessage> AsModeratorAsync(this HttpClient client, string token, HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", token);
        return await client.SendAsync(request);
    }
}
