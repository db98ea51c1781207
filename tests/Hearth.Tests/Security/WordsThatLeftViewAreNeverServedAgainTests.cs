using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Tests.Accounts;
using Hearth.Tests.Identity;
using Hearth.Tests.Live;
using Hearth.Tests.Moderation;

namespace Hearth.Tests.Security;

/// <summary>
/// Once words leave public view (their author deletes or rewrites them, a moderator edits, rejects or marks them spam,
/// readers report them down, a shadow ban hides them, an account goes), no endpoint hands them out again: not the live
/// stream replayed from its first event, not a retried post with the same Idempotency-Key, not the thread page.
/// Each test leaves words that only that comment ever held, then looks for them everywhere a reader can ask.
/// </summary>
public class WordsThatLeftViewAreNeverServedAgainTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "river path at dawn";
    const string Origin = "https://blog.example";

    readonly HttpClient _client = app.CreateClient();

    static string Unique(string what) => $"{what}-{Guid.NewGuid():N}"[..(what.Length + 13)];

    /// <summary>
    /// Everything the live stream sends to a reader who starts from the first event, up to a comment posted after the
    /// change (so the replay is known to be whole when it arrives).
    /// </summary>
    async Task<string> ReplayFromTheStartAsync(string site, string url)
    {
        var marker = await _client.CommentAsync(site, url, "Posted last, so the replay is complete", name: "Marker");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/live?url={Uri.EscapeDataString(url)}&since=0");
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new SseReader(await response.Content.ReadAsStreamAsync());
        var seen = new StringBuilder();
        while (true)
        {
            var e = await reader.NextChangeAsync();
            seen.Append(e.Type).Append(' ').AppendLine(e.Data);
            if (e.Type == "comment.created" && JsonDocument.Parse(e.Data).RootElement.GetProperty("id").GetInt64() == marker.Id())
            {
                return seen.ToString();
            }
        }
    }

    /// <summary>The replay, the thread page in every order and the page for readers without JavaScript hold none of the traces.</summary>
    async Task<string> AssertServedNowhereAsync(string site, string url, params string[] traces)
    {
        var replay = await ReplayFromTheStartAsync(site, url);
        var pages = new List<string> { replay };
        foreach (var sort in new[] { "best", "oldest", "newest" })
        {
            pages.Add((await _client.ThreadAsync(site, url, "&sort=" + sort)).GetRawText());
        }
        pages.Add(await _client.GetStringAsync($"/embed/{site}/thread?url={Uri.EscapeDataString(url)}"));
        foreach (var page in pages)
        {
            foreach (var trace in traces)
            {
                Assert.DoesNotContain(trace, page, StringComparison.OrdinalIgnoreCase);
            }
        }
        return replay;
    }

    static object GuestPost(string url, string body, string name = "Guest", string? email = null, long? parentId = null) =>
        new { url, body, parentId, author = new { name, email } };

    async Task<(HttpStatusCode Status, string Body)> PostAsync(string site, object body, string key)
    {
        using var response = await _client.PostCommentAsync(site, body, idempotencyKey: key);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    static long IdIn(string json) => JsonDocument.Parse(json).RootElement.Id();

    static string Removed(long id) => $$"""{"id":{{id}},"removed":true}""";

    [Fact]
    public async Task WordsTheirAuthorDeletedAreNotReplayedNorReturnedToARetry()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var (words, name) = (Unique("regretted"), Unique("Nameless"));
        var request = GuestPost(url, $"I take back {words}", name);
        var key = Guid.NewGuid().ToString();
        var (status, created) = await PostAsync(site, request, key);
        Assert.Equal(HttpStatusCode.Created, status);
        var id = IdIn(created);
        var editToken = JsonDocument.Parse(created).RootElement.GetProperty("editToken").GetString();
        await _client.CommentAsync(site, url, "A reply that keeps the deleted one as a tombstone", parentId: id);

        var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/sites/{site}/comments/{id}");
        delete.Headers.Add("X-Edit-Token", editToken);
        using (var deleted = await _client.SendAsync(delete))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var replay = await AssertServedNowhereAsync(site, url, words, name);
        Assert.Contains($"\"id\":{id},", replay);
        Assert.Contains("\"status\":\"deleted\"", replay);
        var (retried, answer) = await PostAsync(site, request, key);
        Assert.Equal(HttpStatusCode.Gone, retried);
        Assert.Contains("comment_removed", answer);
        Assert.DoesNotContain(words, answer);
        Assert.DoesNotContain(name, answer);
    }

    [Fact]
    public async Task WordsTheirAuthorRewroteAreGoneFromTheReplayAndTheRetry()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var (before, after) = (Unique("firstdraft"), Unique("secondthought"));
        var request = GuestPost(url, $"My view: {before}");
        var key = Guid.NewGuid().ToString();
        var (_, created) = await PostAsync(site, request, key);
        var id = IdIn(created);

        var edit = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/sites/{site}/comments/{id}") { Content = JsonContent.Create(new { body = $"My view: {after}" }) };
        edit.Headers.Add("X-Edit-Token", JsonDocument.Parse(created).RootElement.GetProperty("editToken").GetString());
        using (var edited = await _client.SendAsync(edit))
        {
            Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
            Assert.DoesNotContain(before, await edited.Content.ReadAsStringAsync());
        }

        var replay = await AssertServedNowhereAsync(site, url, before);
        Assert.Contains(after, replay);
        var (retried, answer) = await PostAsync(site, request, key);
        Assert.Equal(HttpStatusCode.Created, retried);
        Assert.Equal(id, IdIn(answer));
        Assert.Contains(after, answer);
        Assert.DoesNotContain(before, answer);
    }

    [Fact]
    public async Task WordsAModeratorEditedOutAreGoneFromTheReplayAndTheRetry()
    {
        var (site, token) = await app.SiteWithModeratorAsync();
        var url = ApiCalls.NewPageUrl();
        var phone = Unique("555");
        var request = GuestPost(url, $"Call me on {phone} any time");
        var key = Guid.NewGuid().ToString();
        var id = IdIn((await PostAsync(site, request, key)).Body);

        using (var edit = await _client.AsModeratorAsync(token, HttpMethod.Patch, $"/api/v1/sites/{site}/moderation/comments/{id}",
            new { body = "Call me any time (number removed by a moderator)" }))
        {
            Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        }

        var replay = await AssertServedNowhereAsync(site, url, phone);
        Assert.Contains("number removed", replay);
        var (retried, answer) = await PostAsync(site, request, key);
        Assert.Equal(HttpStatusCode.Created, retried);
        Assert.Contains("number removed", answer);
        Assert.DoesNotContain(phone, answer);
    }

    [Fact]
    public async Task WordsAModeratorRejectedAreNotReplayedNorReturnedToARetry()
    {
        var (site, token) = await app.SiteWithModeratorAsync();
        var url = ApiCalls.NewPageUrl();
        var (words, name) = (Unique("insult"), Unique("Rude"));
        var request = GuestPost(url, $"You are all {words}", name);
        var key = Guid.NewGuid().ToString();
        var id = IdIn((await PostAsync(site, request, key)).Body);

        using (var rejected = await _client.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{id}/reject"))
        {
            Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        }

        var replay = await AssertServedNowhereAsync(site, url, words, name);
        Assert.Contains(Removed(id), replay);
        var (retried, answer) = await PostAsync(site, request, key);
        Assert.Equal(HttpStatusCode.Gone, retried);
        Assert.DoesNotContain(words, answer);
        Assert.DoesNotContain(name, answer);
    }

    [Fact]
    public async Task WordsAModeratorMarkedSpamAreNotReplayedAndTheRetryTellsTheAuthorOnlyThatTheyWait()
    {
        var (site, token) = await app.SiteWithModeratorAsync();
        var url = ApiCalls.NewPageUrl();
        var (words, name) = (Unique("cheappills"), Unique("Seller"));
        var request = GuestPost(url, $"I think {words} is worth a look", name);
        var key = Guid.NewGuid().ToString();
        var posted = JsonDocument.Parse((await PostAsync(site, request, key)).Body).RootElement.Clone();
        var id = posted.Id();
        var mine = new { comments = new[] { new { id, editToken = posted.GetProperty("editToken").GetString() } } };
        using (var before = await _client.PostAsJsonAsync($"/api/v1/sites/{site}/comments/mine", mine))
        {
            Assert.Contains(words, await before.Content.ReadAsStringAsync());
        }

        using (var spam = await _client.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{id}/spam"))
        {
            Assert.Equal(HttpStatusCode.OK, spam.StatusCode);
        }

        var replay = await AssertServedNowhereAsync(site, url, words, name);
        Assert.Contains(Removed(id), replay);
        // Nor to the writer's own browser, which holds the proof of having written it.
        using (var after = await _client.PostAsJsonAsync($"/api/v1/sites/{site}/comments/mine", mine))
        {
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.Equal("[]", await after.Content.ReadAsStringAsync());
        }
        // The retry repeats the author's own words to them, as "pending" like every held comment: never "spam".
        var (retried, answer) = await PostAsync(site, request, key);
        Assert.Equal(HttpStatusCode.Created, retried);
        Assert.Equal("pending", JsonDocument.Parse(answer).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task WordsReadersReportedDownAreNotReplayed()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var (words, name) = (Unique("offensive"), Unique("Reported"));
        var request = GuestPost(url, $"Something {words}", name);
        var key = Guid.NewGuid().ToString();
        var id = IdIn((await PostAsync(site, request, key)).Body);

        foreach (var reader in new[] { "203.0.113.31", "203.0.113.32", "203.0.113.33" })
        {
            var report = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/comments/{id}/report") { Content = JsonContent.Create(new { reason = "abuse" }) };
            report.Headers.Add("X-Forwarded-For", reader);
            using var reported = await _client.SendAsync(report);
            Assert.Equal(HttpStatusCode.NoContent, reported.StatusCode);
        }

        var replay = await AssertServedNowhereAsync(site, url, words, name);
        Assert.Contains(Removed(id), replay);
        var (retried, answer) = await PostAsync(site, request, key);
        Assert.Equal(HttpStatusCode.Created, retried);
        Assert.Equal("pending", JsonDocument.Parse(answer).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AShadowBannedAuthorsWordsNeverReachOtherReaders()
    {
        var (site, token) = await app.SiteWithModeratorAsync();
        var url = ApiCalls.NewPageUrl();
        var email = $"troll-{Guid.NewGuid():N}@mail.example";
        using (var ban = await _client.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/bans",
            new { kind = "email", value = email, reason = "Baiting", shadow = true }))
        {
            Assert.Equal(HttpStatusCode.Created, ban.StatusCode);
        }
        var (words, name) = (Unique("bait"), Unique("Troll"));
        var request = GuestPost(url, $"Take the {words}", name, email);
        var key = Guid.NewGuid().ToString();
        var (status, created) = await PostAsync(site, request, key);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("published", JsonDocument.Parse(created).RootElement.GetProperty("status").GetString());

        var replay = await AssertServedNowhereAsync(site, url, words, name);
        Assert.DoesNotContain($"\"id\":{IdIn(created)},", replay);
        // The author alone is still told it is published, on a retry as when posting.
        var (retried, answer) = await PostAsync(site, request, key);
        Assert.Equal(HttpStatusCode.Created, retried);
        Assert.Equal("published", JsonDocument.Parse(answer).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ADeletedAccountsRemovedCommentsAndNameAreNotReplayed()
    {
        var site = await app.CreateSiteAsync(origins: [Origin]);
        var name = Unique("Leaving");
        var (browser, member) = await MemberAsync(site, name);
        var url = ApiCalls.NewPageUrl();
        var (answered, alone) = (Unique("answered"), Unique("alone"));
        var answeredId = await PostAsMemberAsync(site, member, new { url, body = $"Words {answered}" });
        await _client.CommentAsync(site, url, "A reply that stays", parentId: answeredId);
        await PostAsMemberAsync(site, member, new { url, body = $"Words {alone}" });

        using (var deleted = await browser.SubmitAsync("/account/delete", "/account/delete", ("comments", "remove"), ("password", Password)))
        {
            Assert.Contains("Your account is deleted", await deleted.Content.ReadAsStringAsync());
        }

        var replay = await AssertServedNowhereAsync(site, url, answered, alone, name);
        Assert.Contains("A reply that stays", replay);
    }

    [Fact]
    public async Task ADeletedAccountsKeptCommentsAreReplayedAsAFormerMembersWithoutTheirName()
    {
        var site = await app.CreateSiteAsync(origins: [Origin]);
        var name = Unique("Kept");
        var (browser, member) = await MemberAsync(site, name);
        var url = ApiCalls.NewPageUrl();
        var words = Unique("worthkeeping");
        await PostAsMemberAsync(site, member, new { url, body = $"Words {words}" });

        using (var deleted = await browser.SubmitAsync("/account/delete", "/account/delete", ("comments", "keep"), ("password", Password)))
        {
            Assert.Contains("Your account is deleted", await deleted.Content.ReadAsStringAsync());
        }

        var replay = await AssertServedNowhereAsync(site, url, name);
        Assert.Contains(words, replay);
        Assert.Contains("former member", replay);
    }

    /// <summary>Someone with an account, signed in to the site's widget: their browser and access token.</summary>
    async Task<(Browser Browser, string AccessToken)> MemberAsync(string site, string name)
    {
        var (browser, _) = await app.SignedInAsync(name, Password);
        var ask = $"/account/widget?site={site}&origin={Uri.EscapeDataString(Origin)}";
        using var granted = await browser.SubmitAsync(ask, "/account/widget", ("site", site), ("origin", Origin));
        var message = Regex.Match(await granted.Content.ReadAsStringAsync(), "data-message=\"([^\"]+)\"").Groups[1].Value;
        return (browser, JsonDocument.Parse(WebUtility.HtmlDecode(message)).RootElement.GetProperty("accessToken").GetString()!);
    }

    async Task<long> PostAsMemberAsync(string site, string accessToken, object body)
    {
        using var response = await _client.PostAsMemberAsync(site, accessToken, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Id();
    }
}
