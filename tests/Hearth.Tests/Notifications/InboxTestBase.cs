using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Identity;
using Hearth.Sites;
using Hearth.Tests.Accounts;
using Hearth.Tests.Identity;
using Hearth.Tests.Moderation;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Notifications;

/// <summary>People with accounts signed in to sites' widgets, and calls of their inbox.</summary>
public abstract class InboxTestBase(AccountsApp app)
{
    protected AccountsApp App { get; } = app;

    protected const string Password = "lanterns over the harbour";
    protected const string Origin = "https://blog.example";
    protected readonly HttpClient _client = app.CreateClient();

    /// <summary>Someone with an account, signed in to the widget of each site: their browser and an access token per site.</summary>
    protected async Task<(Browser Browser, Dictionary<string, string> Tokens)> MemberAsync(string name, params string[] sites)
    {
        var (browser, _, tokens) = await MemberWithAddressAsync(name, sites);
        return (browser, tokens);
    }

    /// <summary>As <see cref="MemberAsync"/>, with the confirmed e-mail address of the account.</summary>
    protected async Task<(Browser Browser, string Email, Dictionary<string, string> Tokens)> MemberWithAddressAsync(string name, params string[] sites)
    {
        var (browser, email) = await App.SignedInAsync(name, Password);
        var tokens = new Dictionary<string, string>();
        foreach (var site in sites)
        {
            tokens[site] = await WidgetTokenAsync(browser, site);
        }
        return (browser, email, tokens);
    }

    /// <summary>The access token the widget of the site receives when the signed-in browser lets it in.</summary>
    protected static async Task<string> WidgetTokenAsync(Browser browser, string site)
    {
        var ask = $"/account/widget?site={site}&origin={Uri.EscapeDataString(Origin)}";
        using var granted = await browser.SubmitAsync(ask, "/account/widget", ("site", site), ("origin", Origin));
        var message = Regex.Match(await granted.Content.ReadAsStringAsync(), "data-message=\"([^\"]+)\"").Groups[1].Value;
        return JsonDocument.Parse(WebUtility.HtmlDecode(message)).RootElement.GetProperty("accessToken").GetString()!;
    }

    protected async Task<long> PostAsMemberAsync(string site, string token, string url, string body, long? parentId = null)
    {
        using var response = await _client.PostAsMemberAsync(site, token, new { url, body, parentId });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Id();
    }

    protected async Task<HttpResponseMessage> InboxCallAsync(string site, string? token, HttpMethod method, string path = "", object? body = null)
    {
        var request = new HttpRequestMessage(method, $"/api/v1/sites/{site}/inbox{path}") { Content = body is null ? null : JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }
        return await _client.SendAsync(request);
    }

    protected async Task<JsonElement> InboxAsync(string site, string token, string query = "")
    {
        using var response = await InboxCallAsync(site, token, HttpMethod.Get, query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A moderator's decision on a comment (approve, reject, spam), as the moderation API takes it.</summary>
    protected async Task DecideAsync(string site, string moderator, long id, string action)
    {
        using var decided = await _client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{id}/{action}");
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
    }

    /// <summary>The e-mail job has dealt with the notification of this comment (the test's clock drives its rounds).</summary>
    protected async Task DealtWithAsync(long commentId) =>
        await Nodes.Node.UntilAsync(() => App.InDatabaseAsync(db => db.Notifications.AnyAsync(n => n.CommentId == commentId && n.MailedAt != null)),
            $"the notification of comment {commentId} dealt with by the e-mail job", () => App.Clock.Advance(Hearth.Storage.Leases.Renewal));

    /// <summary>The notification e-mails the address received (not its account's confirmation).</summary>
    protected List<MimeKit.MimeMessage> Notices(string email) => [.. App.Mail.To(email).Where(m => m.Headers.Contains("List-Unsubscribe"))];

    protected static List<long> CommentIds(JsonElement inbox) =>
        [.. inbox.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("comment").GetProperty("id").GetInt64())];
}
