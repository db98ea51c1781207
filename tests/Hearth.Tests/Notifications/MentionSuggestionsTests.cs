using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Sites;
using Hearth.Tests.Accounts;
using Hearth.Tests.Identity;
using Hearth.Tests.Moderation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Notifications;

/// <summary>GET .../thread/participants: whom a comment box can suggest after "@", and nothing the thread does not show.</summary>
public class MentionSuggestionsTests(AccountsApp app) : InboxTestBase(app), IClassFixture<AccountsApp>
{
    async Task<HttpResponseMessage> ParticipantsCallAsync(string site, string url, string query = "") =>
        await _client.GetAsync($"/api/v1/sites/{site}/thread/participants?url={Uri.EscapeDataString(url)}{query}");

    async Task<List<JsonElement>> ParticipantsAsync(string site, string url, string query = "")
    {
        using var response = await ParticipantsCallAsync(site, url, query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return [.. JsonDocument.Parse(text).RootElement.GetProperty("participants").EnumerateArray().Select(p => p.Clone())];
    }

    static List<string?> Names(List<JsonElement> participants) => [.. participants.Select(p => p.GetProperty("name").GetString())];

    int _signIns;

    /// <summary>Someone the site signs in (single sign-on), with their access token; each from an address of their own, as sign-ins are limited per client.</summary>
    async Task<string> SiteIdentityAsync(string site, string secret, string sub, string name)
    {
        var from = $"198.51.{Interlocked.Increment(ref _signIns) / 250}.{_signIns % 250 + 1}";
        using var response = await _client.SignInAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(App, site, sub: sub, name: name)), from);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("accessToken").GetString()!;
    }

    [Fact]
    public async Task PeopleWhoWroteWithAnAccountAreSuggestedNewestFirstAndNobodyTheThreadDoesNotShow()
    {
        var (site, moderator, secret) = await App.SiteWithTeamMemberAsync("Mod Ines", Hearth.Identity.SiteRole.Moderator);
        await App.InDatabaseAsync(async db =>
        {
            (await db.Sites.SingleAsync(s => s.Name == site)).SuspectWords = ["timeshare"];
            return await db.SaveChangesAsync();
        });
        App.Services.GetRequiredService<SiteDirectory>().Forget(site);
        var page = ApiCalls.NewPageUrl();
        var (_, ada) = await MemberAsync("Ada Lovelace", site);
        var (_, cal) = await MemberAsync("Cal Named", site);
        var (_, hidden, hiddenTokens) = await MemberWithAddressAsync("Shadow Sal", site);
        var (_, held) = await MemberAsync("Hana Held", site);
        var (_, gone) = await MemberAsync("Del Gone", site);
        var sam = await SiteIdentityAsync(site, secret, "shop-sam", "Sam Shop");
        var odd = await SiteIdentityAsync(site, secret, "shop-odd", "Who Knows!");

        await PostAsMemberAsync(site, ada[site], page, "The ferry leaves from the north pier on Sundays.");
        await PostAsMemberAsync(site, cal[site], page, "And it is cheaper before nine.");
        await PostAsMemberAsync(site, sam, page, "Bikes ride free, too.");
        await PostAsMemberAsync(site, odd, page, "Nobody can mention this name.");
        await _client.CommentAsync(site, page, "A guest has no account to be told through.", name: "Guest Gus");
        using (var ban = await _client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/bans",
            new { kind = "email", value = hidden, reason = "Baiting", shadow = true }))
        {
            Assert.Equal(HttpStatusCode.Created, ban.StatusCode);
        }
        await PostAsMemberAsync(site, hiddenTokens[site], page, "Only I think this is published.");
        using (var waiting = await _client.PostAsMemberAsync(site, held[site], new { url = page, body = "Ask me about a timeshare." }))
        {
            Assert.Equal("pending", (await waiting.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }
        using (var posted = await _client.PostAsMemberAsync(site, gone[site], new { url = page, body = "I take this back." }))
        {
            var created = await posted.Content.ReadFromJsonAsync<JsonElement>();
            using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/sites/{site}/comments/{created.Id()}");
            delete.Headers.Add("X-Edit-Token", created.GetProperty("editToken").GetString());
            Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(delete)).StatusCode);
        }
        await PostAsMemberAsync(site, ada[site], page, "See you all on board.");

        using var response = await ParticipantsCallAsync(site, page);
        var text = await response.Content.ReadAsStringAsync();
        var participants = await ParticipantsAsync(site, page);
        Assert.Equal(["Ada Lovelace", "Sam Shop", "Cal Named"], Names(participants));
        Assert.Equal(["AdaLovelace", "SamShop", "CalNamed"], participants.Select(p => p.GetProperty("mention").GetString()));
        // Each with the picture the thread shows beside their comments, and nothing else: no account id, no address.
        var thread = await _client.ThreadAsync(site, page);
        var shown = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var comment in thread.GetProperty("comments").EnumerateArray())
        {
            var author = comment.GetProperty("author");
            shown[author.GetProperty("name").GetString()!] = author.GetProperty("avatarUrl").GetString();
        }
        Assert.All(participants, p => Assert.Equal(shown[p.GetProperty("name").GetString()!], p.GetProperty("avatarUrl").GetString()));
        Assert.All(participants, p => Assert.Equal(["name", "mention", "avatarUrl"], p.EnumerateObject().Select(x => x.Name)));
        Assert.DoesNotContain("@", text, StringComparison.Ordinal);

        // Served from the thread's cache, which a new comment drops: a newcomer is suggested at once.
        var (_, bo) = await MemberAsync("Bo Newcomer", site);
        await PostAsMemberAsync(site, bo[site], page, "First time on the ferry for me.");
        Assert.Equal(["Bo Newcomer", "Ada Lovelace", "Sam Shop", "Cal Named"], Names(await ParticipantsAsync(site, page)));
    }

    [Fact]
    public async Task WhatWasTypedNarrowsTheListNamesStartingWithItFirst()
    {
        var site = await App.CreateSiteAsync();
        var secret = await App.EnableSsoAsync(site);
        var page = ApiCalls.NewPageUrl();
        foreach (var (sub, name) in new[] { ("c1", "Carla Dent"), ("o1", "Oscar Vance"), ("c2", "Cato Reed"), ("d1", "Dee Lowe") })
        {
            await PostAsMemberAsync(site, await SiteIdentityAsync(site, secret, sub, name), page, $"Hello from {name}, about the harbour festival.");
        }

        Assert.Equal(["Cato Reed", "Carla Dent", "Oscar Vance"], Names(await ParticipantsAsync(site, page, "&q=ca")));
        Assert.Equal(["Cato Reed", "Carla Dent", "Oscar Vance"], Names(await ParticipantsAsync(site, page, "&q=CA")));
        Assert.Equal(["Oscar Vance"], Names(await ParticipantsAsync(site, page, "&q=arv")));
        Assert.Empty(await ParticipantsAsync(site, page, "&q=zed"));
        Assert.Equal(4, (await ParticipantsAsync(site, page, "&q=")).Count);
        // A page nobody wrote on yet has nobody to suggest, and is not made by asking.
        Assert.Empty(await ParticipantsAsync(site, ApiCalls.NewPageUrl()));
    }

    [Fact]
    public async Task AtMostTwentyNamesAreAnsweredFromTheLatestThousandComments()
    {
        var site = await App.CreateSiteAsync();
        var secret = await App.EnableSsoAsync(site);
        var page = ApiCalls.NewPageUrl();
        await PostAsMemberAsync(site, await SiteIdentityAsync(site, secret, "early", "Early Bird"), page, "I was here before everyone else.");
        // Where a mention looks: the latest thousand comments written with an account (a guest's cannot be answered by
        // name). 979 of one busy person's, then one each of 21 people: the first is out of reach, and not suggested.
        var busy = await SiteIdentityAsync(site, secret, "busy", "Busy Bee");
        foreach (var chunk in Enumerable.Range(0, 979).Chunk(6))
        {
            await Task.WhenAll(chunk.Select(i => PostAsMemberAsync(site, busy, page, $"Busy note {i}")));
        }
        await _client.CommentAsync(site, page, "A guest's comment does not push anyone out.", name: "Guest Gus");
        for (var i = 1; i <= 21; i++)
        {
            await PostAsMemberAsync(site, await SiteIdentityAsync(site, secret, $"p{i}", $"Person {i:00}"), page, $"Person {i} says hello.");
        }

        var participants = await ParticipantsAsync(site, page);
        Assert.Equal(Enumerable.Range(2, 20).Reverse().Select(i => $"Person {i:00}"), Names(participants));
        Assert.Empty(await ParticipantsAsync(site, page, "&q=early"));
    }

    [Fact]
    public async Task BadQuestionsAreProblemsAndMakeNothing()
    {
        var site = await App.CreateSiteAsync();
        var page = ApiCalls.NewPageUrl();
        await _client.CommentAsync(site, page, "Something to ask about.");
        var threads = await App.InDatabaseAsync(db => db.Threads.CountAsync());

        foreach (var (query, field) in new[]
        {
            ($"/api/v1/sites/{site}/thread/participants", "url"),
            ($"/api/v1/sites/{site}/thread/participants?url={Uri.EscapeDataString("https://elsewhere.example/post")}", "url"),
            ($"/api/v1/sites/{site}/thread/participants?url={Uri.EscapeDataString(page)}&q={new string('a', 81)}", "q"),
            ($"/api/v1/sites/{site}/thread/participants?url={Uri.EscapeDataString(page)}&q=a%20b", "q"),
            ($"/api/v1/sites/{site}/thread/participants?url={Uri.EscapeDataString(page)}&q=%3Cscript%3E", "q"),
        })
        {
            using var response = await _client.GetAsync(query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.ProblemAsync();
            Assert.Equal("validation", problem.GetProperty("code").GetString());
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{query} should name {field}");
        }

        using (var unknown = await _client.GetAsync($"/api/v1/sites/no-such-site-here/thread/participants?url={Uri.EscapeDataString(page)}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal("site_not_found", (await unknown.ProblemAsync()).GetProperty("code").GetString());
        }
        Assert.Equal(threads, await App.InDatabaseAsync(db => db.Threads.CountAsync()));
    }

    [Fact]
    public async Task AClosedConversationSuggestsNobodyAsPostingThereIsRefused()
    {
        var (site, moderator, secret) = await App.SiteWithTeamMemberAsync("Mod Lock", Hearth.Identity.SiteRole.Moderator);
        var page = ApiCalls.NewPageUrl();
        var created = await PostAsMemberAsync(site, await SiteIdentityAsync(site, secret, "lena", "Lena Lock"), page, "Before the lock.");
        Assert.Single(await ParticipantsAsync(site, page));
        var threadId = await App.InDatabaseAsync(db => db.Comments.Where(c => c.Id == created).Select(c => c.ThreadId).SingleAsync());
        using (var locked = await _client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/threads/{threadId}/lock"))
        {
            Assert.True(locked.IsSuccessStatusCode);
        }

        using var response = await ParticipantsCallAsync(site, page);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("thread_locked", (await response.ProblemAsync()).GetProperty("code").GetString());
        using var post = await _client.PostCommentAsync(site, new { url = page, body = "After the lock.", author = new { name = "Late Guest" } });
        Assert.Equal("thread_locked", (await post.ProblemAsync()).GetProperty("code").GetString());

        // Closed by age as well: a site that closes threads after a day, and a thread three days old.
        var old = ApiCalls.NewPageUrl();
        var oldComment = await PostAsMemberAsync(site, await SiteIdentityAsync(site, secret, "olga", "Olga Old"), old, "Long ago.");
        Assert.Single(await ParticipantsAsync(site, old));
        await App.InDatabaseAsync(async db =>
        {
            (await db.Sites.SingleAsync(s => s.Name == site)).CloseAfterDays = 1;
            var thread = await db.Comments.Where(c => c.Id == oldComment).Select(c => c.ThreadId).SingleAsync();
            await db.Threads.Where(t => t.Id == thread).ExecuteUpdateAsync(t => t.SetProperty(x => x.CreatedAt, x => x.CreatedAt.AddDays(-3)));
            return await db.SaveChangesAsync();
        });
        App.Services.GetRequiredService<SiteDirectory>().Forget(site);
        using var aged = await ParticipantsCallAsync(site, old);
        Assert.Equal(HttpStatusCode.Forbidden, aged.StatusCode);
        Assert.Equal("thread_locked", (await aged.ProblemAsync()).GetProperty("code").GetString());
    }
}
