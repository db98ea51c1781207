using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Identity;
using Hearth.Moderation;
using Hearth.Sites;
using Hearth.Tests.Accounts;
using Hearth.Tests.Moderation;
using Hearth.Tests.Identity;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Notifications;

/// <summary>
/// The inbox by conversation: every conversation a person is in, on every site, newest activity first, with what is
/// unread in each and the newest comment that concerns them, answerable in place; through a site's token, that site's only.
/// </summary>
public partial class InboxConversationsTests(AccountsApp app) : InboxTestBase(app), IClassFixture<AccountsApp>
{
    static List<string> Urls(JsonElement slice) =>
        [.. slice.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("thread").GetProperty("url").GetString()!)];

    static JsonElement Item(JsonElement slice, string url) =>
        slice.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("thread").GetProperty("url").GetString() == url);

    /// <summary>The conversations in the order the page lists them, by their element ids.</summary>
    static List<long> Listed(string html) => [.. ConversationItem().Matches(html).Select(m => long.Parse(m.Groups[1].Value))];

    Task<long> ThreadOfAsync(string url) => App.InDatabaseAsync(db => db.Threads.Where(t => t.Url == url).Select(t => t.Id).SingleAsync());

    [Fact]
    public async Task EveryConversationAPersonIsInAcrossSitesComesNewestActivityFirstWithItsUnreadAndItsNewestComment()
    {
        var shop = await App.CreateSiteAsync();
        var blog = await App.CreateSiteAsync();
        var (ada, adaTokens) = await MemberAsync("Ada Many", shop, blog);
        var (_, boTokens) = await MemberAsync("Bo Answers Often", shop, blog);
        var (eve, eveTokens) = await MemberAsync("Eve Elsewhere", shop);

        var kettle = ApiCalls.NewPageUrl();
        var lamp = ApiCalls.NewPageUrl();
        var quiet = ApiCalls.NewPageUrl();
        var notHers = ApiCalls.NewPageUrl();
        var muted = ApiCalls.NewPageUrl();
        var kettleQuestion = await PostAsMemberAsync(shop, adaTokens[shop], kettle, "Does the kettle whistle when it boils?");
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var lampQuestion = await PostAsMemberAsync(blog, adaTokens[blog], lamp, "Which bulb does the reading lamp take?");
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await PostAsMemberAsync(shop, adaTokens[shop], quiet, "Nice photos of the shop.");
        await PostAsMemberAsync(shop, boTokens[shop], notHers, "A page Ada never joined.");
        var mutedQuestion = await PostAsMemberAsync(shop, adaTokens[shop], muted, "A conversation Ada will mute.");
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await PostAsMemberAsync(blog, boTokens[blog], lamp, "An E27, warm white.", lampQuestion);
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var kettleAnswer = await PostAsMemberAsync(shop, boTokens[shop], kettle, "Yes, and loudly.", kettleQuestion);
        using (var mute = await InboxCallAsyncAt(shop, adaTokens[shop], HttpMethod.Put, "/follow", new { url = muted, state = "muted" }))
        {
            Assert.Equal(HttpStatusCode.OK, mute.StatusCode);
        }
        await PostAsMemberAsync(shop, boTokens[shop], muted, "Answer in the muted one.", mutedQuestion);

        // Through the shop's token: the shop's conversations only, the liveliest first, never Bo's page she is not in.
        var shopSlice = await InboxAsync(shop, adaTokens[shop], "/conversations");
        Assert.Equal([kettle, quiet], Urls(shopSlice));
        Assert.Equal((await InboxAsync(shop, adaTokens[shop], "/unread")).GetProperty("unread").GetInt32(), shopSlice.GetProperty("unread").GetInt32());
        Assert.Equal(1, shopSlice.GetProperty("unread").GetInt32());
        var kettleItem = Item(shopSlice, kettle);
        Assert.Equal(1, kettleItem.GetProperty("unread").GetInt32());
        Assert.Equal(2, kettleItem.GetProperty("comments").GetInt32());
        Assert.True(kettleItem.GetProperty("following").GetBoolean());
        Assert.Equal(shop, kettleItem.GetProperty("site").GetString());
        var latest = kettleItem.GetProperty("latest");
        Assert.Equal(kettleAnswer, latest.GetProperty("commentId").GetInt64());
        Assert.Equal("reply", latest.GetProperty("kind").GetString());
        Assert.Equal("Bo Answers Often", latest.GetProperty("authorName").GetString());
        Assert.Contains("Yes, and loudly.", latest.GetProperty("html").GetString());
        var quietItem = Item(shopSlice, quiet);
        Assert.Equal(0, quietItem.GetProperty("unread").GetInt32());
        Assert.Equal("yours", quietItem.GetProperty("latest").GetProperty("kind").GetString());
        Assert.False(quietItem.GetProperty("latest").TryGetProperty("notificationId", out _));
        Assert.Equal([kettle], Urls(await InboxAsync(shop, adaTokens[shop], "/conversations?unread=true")));
        Assert.Equal([lamp], Urls(await InboxAsync(blog, adaTokens[blog], "/conversations")));

        // One at a time, with the cursor.
        var first = await InboxAsync(shop, adaTokens[shop], "/conversations?limit=1");
        Assert.Equal([kettle], Urls(first));
        var second = await InboxAsync(shop, adaTokens[shop], $"/conversations?limit=1&before={first.GetProperty("next").GetInt64()}");
        Assert.Equal([quiet], Urls(second));
        Assert.False(second.TryGetProperty("next", out _));

        // On Hearth's own page: every site, in the same order (the kettle answered last, then the lamp, then her own).
        var kettleThread = await ThreadOfAsync(kettle);
        var lampThread = await ThreadOfAsync(lamp);
        var quietThread = await ThreadOfAsync(quiet);
        var page = await ada.GetAsync("/account/inbox/conversations");
        Assert.Equal([kettleThread, lampThread, quietThread], Listed(page));
        Assert.Contains("2 unread replies.", page);
        Assert.Contains($"<a href=\"{kettle}\">", page);
        Assert.Contains("Your reply to Bo Answers Often", page);
        Assert.DoesNotContain("Answer in the muted one.", page);
        Assert.Contains("aria-current=\"page\">Conversations</a>", page);
        Assert.Contains("href=\"/account/inbox/conversations\"", await ada.GetAsync("/account/inbox"));

        // Marked read through the API by conversation: the other one keeps its news.
        using (var marked = await InboxCallAsync(shop, adaTokens[shop], HttpMethod.Post, "/read", new { threads = new[] { kettleThread, lampThread } }))
        {
            Assert.Equal(HttpStatusCode.OK, marked.StatusCode);
            // Through the shop's token only the shop's are touched: the lamp's news on the blog stays unread.
            Assert.Equal(0, (await marked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("unread").GetInt32());
        }
        Assert.Equal(0, Item(await InboxAsync(shop, adaTokens[shop], "/conversations"), kettle).GetProperty("unread").GetInt32());
        Assert.Equal(1, Item(await InboxAsync(blog, adaTokens[blog], "/conversations"), lamp).GetProperty("unread").GetInt32());

        // Marked read on the page, by conversation.
        using (var read = await ada.SubmitAsync("/account/inbox/conversations", "/account/inbox/conversations/read", ("thread", lampThread.ToString())))
        {
            Assert.Equal(HttpStatusCode.Redirect, read.StatusCode);
        }
        Assert.Contains("No unread replies.", await ada.GetAsync("/account/inbox/conversations"));

        // Marking all read and muting from this view bring the person back to it; from the notifications view, to that one.
        using (var all = await ada.SubmitAsync("/account/inbox/conversations", "/account/inbox/read", ("view", "conversations")))
        {
            Assert.Equal("/account/inbox/conversations", all.Headers.Location?.OriginalString);
        }
        using (var all = await ada.SubmitAsync("/account/inbox", "/account/inbox/read"))
        {
            Assert.Equal("/account/inbox", all.Headers.Location?.OriginalString);
        }
        using (var mute = await ada.SubmitAsync("/account/inbox/conversations", "/account/inbox/mute", ("thread", quietThread.ToString()), ("view", "conversations")))
        {
            Assert.Equal("/account/inbox/conversations", mute.Headers.Location?.OriginalString);
        }
        Assert.Equal([kettleThread, lampThread], Listed(await ada.GetAsync("/account/inbox/conversations")));

        // A cursor naming a conversation that is not hers tells her nothing of it.
        Assert.Empty(Urls(await InboxAsync(shop, eveTokens[shop], $"/conversations?before={kettleThread}")));
        // Eve sees none of it, and marking Ada's conversation read as Eve changes nothing of Ada's.
        Assert.Empty(Urls(await InboxAsync(shop, eveTokens[shop], "/conversations")));
        Assert.Contains("No conversations yet.", await eve.GetAsync("/account/inbox/conversations"));
        await PostAsMemberAsync(shop, boTokens[shop], kettle, "One more thing about the kettle.", kettleQuestion);
        using (var meddling = await InboxCallAsync(shop, eveTokens[shop], HttpMethod.Post, "/read", new { threads = new[] { kettleThread } }))
        {
            Assert.Equal(HttpStatusCode.OK, meddling.StatusCode);
        }
        Assert.Equal(1, Item(await InboxAsync(shop, adaTokens[shop], "/conversations"), kettle).GetProperty("unread").GetInt32());
    }

    [Fact]
    public async Task AReplySentFromTheConversationsViewGoesIntoTheConversationAndBringsThePersonBackThere()
    {
        var site = await App.CreateSiteAsync();
        var (ada, adaTokens) = await MemberAsync("Ada Converses", site);
        var (_, boTokens) = await MemberAsync("Bo Converses", site);
        var url = ApiCalls.NewPageUrl();
        var question = await PostAsMemberAsync(site, adaTokens[site], url, "Is the trail muddy after rain?");
        var answer = await PostAsMemberAsync(site, boTokens[site], url, "Very, bring boots.", question);
        var notification = (await InboxAsync(site, adaTokens[site], "/conversations")).GetProperty("items")[0].GetProperty("latest")
            .GetProperty("notificationId").GetInt64();
        var thread = await ThreadOfAsync(url);

        using var sent = await ada.SubmitAsync("/account/inbox/conversations", "/account/inbox/reply", ("notification", notification.ToString()),
            ("view", "conversations"), ("body", "Thanks, boots it is."));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var location = sent.Headers.Location!.OriginalString;
        Assert.Matches(@"^/account/inbox/conversations\?replied=\d+#c" + thread + "$", location);
        var after = await ada.GetAsync(location);
        Assert.Contains("Your reply is published.", after);
        var stored = await App.InDatabaseAsync(db => db.Comments.SingleAsync(c => c.ReplyToId == answer || c.ParentId == answer));
        Assert.Equal("Ada Converses", stored.Author.Name);
        var latest = (await InboxAsync(site, adaTokens[site], "/conversations")).GetProperty("items")[0].GetProperty("latest");
        Assert.Equal("yours", latest.GetProperty("kind").GetString());
        Assert.Equal(stored.Id, latest.GetProperty("commentId").GetInt64());

        // A refusal (an empty reply) shows the conversations view again with the reason, and stores nothing.
        using var empty = await ada.SubmitAsync("/account/inbox/conversations", "/account/inbox/reply", ("notification", notification.ToString()),
            ("view", "conversations"), ("body", "   "));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var refused = await empty.Content.ReadAsStringAsync();
        Assert.Contains("Your reply was not sent:", refused);
        Assert.Contains("aria-current=\"page\">Conversations</a>", refused);
        Assert.Equal(3, await App.InDatabaseAsync(db => db.Comments.CountAsync(c => c.ThreadId == thread)));
    }

    [Fact]
    public async Task AnApprovedCommentIsNewsInItsConversationWhenItIsApproved()
    {
        var (site, moderator, _) = await App.SiteWithTeamMemberAsync("Mod Conversa", SiteRole.Moderator, ModerationMode.Pre);
        var (_, adaTokens) = await MemberAsync("Ada Waits", site);
        var early = ApiCalls.NewPageUrl();
        var late = ApiCalls.NewPageUrl();
        var held = await PostAsMemberAsync(site, adaTokens[site], early, "Held for a while, then approved.");
        App.Clock.Advance(TimeSpan.FromMinutes(5));
        var other = await PostAsMemberAsync(site, adaTokens[site], late, "Approved at once.");
        await DecideAsync(site, moderator, other, "approve");
        Assert.Equal([late, early], Urls(await InboxAsync(site, adaTokens[site], "/conversations")));

        App.Clock.Advance(TimeSpan.FromMinutes(5));
        await DecideAsync(site, moderator, held, "approve");
        Assert.Equal([early, late], Urls(await InboxAsync(site, adaTokens[site], "/conversations")));
    }

    [Fact]
    public async Task BadRequestsAreRefusedClearlyAndOnlyThePersonsOwnSignInOpensTheirConversations()
    {
        var site = await App.CreateSiteAsync();
        var (ada, adaTokens) = await MemberAsync("Ada Asks Badly", site);
        await PostAsMemberAsync(site, adaTokens[site], ApiCalls.NewPageUrl(), "A conversation to keep.");

        foreach (var query in new[] { "?before=yesterday", "?limit=0", "?limit=51", "?unread=maybe" })
        {
            using var bad = await InboxCallAsync(site, adaTokens[site], HttpMethod.Get, "/conversations" + query);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        }
        using (var both = await InboxCallAsync(site, adaTokens[site], HttpMethod.Post, "/read", new { ids = new[] { 1L }, threads = new[] { 1L } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        }
        using (var many = await InboxCallAsync(site, adaTokens[site], HttpMethod.Post, "/read", new { threads = Enumerable.Range(1, 201).ToArray() }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, many.StatusCode);
        }
        using (var stranger = await InboxCallAsync(site, null, HttpMethod.Get, "/conversations"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, stranger.StatusCode);
        }
        using (var nonsense = await ada.SubmitAsync("/account/inbox/conversations", "/account/inbox/conversations/read", ("thread", "the kettle one")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, nonsense.StatusCode);
        }
        using (var forged = await ada.PostAsync("/account/inbox/conversations/read", ("thread", "1")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }
        using var signedOut = await App.NewBrowser().Client.GetAsync("/account/inbox/conversations");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Single(Urls(await InboxAsync(site, adaTokens[site], "/conversations")));
    }

    Task<HttpResponseMessage> InboxCallAsyncAt(string site, string token, HttpMethod method, string path, object body)
    {
        var request = new HttpRequestMessage(method, $"/api/v1/sites/{site}{path}") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", token);
        return _client.SendAsync(request);
    }

    [GeneratedRegex("<li id=\"c(\\d+)\"")]
    private static partial Regex ConversationItem();
}
