using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Identity;
using Hearth.Sites;
using Hearth.Tests.Accounts;
using Hearth.Tests.Identity;
using Hearth.Tests.Moderation;

namespace Hearth.Tests.Notifications;

/// <summary>A reply to someone with an account reaches their inbox, from whichever site, and only while it is public.</summary>
public class InboxTests(AccountsApp app) : InboxTestBase(app), IClassFixture<AccountsApp>
{
    [Fact]
    public async Task RepliesReachThePersonAnsweredEachSiteShowsItsOwnAndTheAccountPageShowsAll()
    {
        var shop = await App.CreateSiteAsync();
        var blog = await App.CreateSiteAsync();
        var (browser, ada) = await MemberAsync("Ada Inbox", shop, blog);
        var (_, eve) = await MemberAsync("Eve Elsewhere", shop);
        var shopPage = ApiCalls.NewPageUrl();
        var blogPage = ApiCalls.NewPageUrl();
        var onShop = await PostAsMemberAsync(shop, ada[shop], shopPage, "Does the blue kettle come with a spare lid?");
        var onBlog = await PostAsMemberAsync(blog, ada[blog], blogPage, "I tried this recipe with less sugar and it held.");

        var fromBo = (await _client.CommentAsync(shop, shopPage, "Yes, mine came with two lids in the box.", onShop, "Bo Answers")).Id();
        // Answering oneself, or writing beside someone without answering them, tells no one.
        await PostAsMemberAsync(shop, ada[shop], shopPage, "Adding: I mean the 1.5 litre one.", onShop);
        await _client.CommentAsync(blog, blogPage, "Lovely photos on this one.", name: "Cy Aside");
        var fromCy = (await _client.CommentAsync(blog, blogPage, "Less sugar works, the texture changes a little.", onBlog, "Cy Answers")).Id();

        // Through a site, that site's part: its pages can read the widget's token, so they open nothing of the others.
        var inbox = await InboxAsync(blog, ada[blog]);
        Assert.Equal([fromCy], CommentIds(inbox));
        Assert.Equal(1, inbox.GetProperty("unread").GetInt32());
        var newest = inbox.GetProperty("items")[0];
        Assert.Equal(blog, newest.GetProperty("site").GetString());
        Assert.Equal("reply", newest.GetProperty("kind").GetString());
        Assert.Equal(blogPage, newest.GetProperty("thread").GetProperty("url").GetString());
        Assert.Equal("Cy Answers", newest.GetProperty("comment").GetProperty("authorName").GetString());
        Assert.Equal(onBlog, newest.GetProperty("comment").GetProperty("answeredId").GetInt64());
        Assert.Contains("texture changes", newest.GetProperty("comment").GetProperty("html").GetString());
        Assert.False(newest.GetProperty("read").GetBoolean());
        Assert.Equal([fromBo], CommentIds(await InboxAsync(shop, ada[shop])));
        // On Hearth's own page, every site's.
        var page = await browser.GetAsync("/account/inbox");
        Assert.Contains("texture changes", page);
        Assert.Contains("two lids in the box", page);
        Assert.Contains("2 unread replies.", page);

        // Someone else has an inbox of their own, and cannot mark Ada's.
        Assert.Empty(CommentIds(await InboxAsync(shop, eve[shop])));
        var adas = inbox.GetProperty("items")[0].GetProperty("id").GetInt64();
        using (var marked = await InboxCallAsync(shop, eve[shop], HttpMethod.Post, "/read", new { ids = new[] { adas } }))
        {
            Assert.Equal(HttpStatusCode.OK, marked.StatusCode);
        }
        // Nor can one site mark what happened on another.
        using (var marked = await InboxCallAsync(shop, ada[shop], HttpMethod.Post, "/read", new { all = true }))
        {
            Assert.Equal(0, (await marked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("unread").GetInt32());
        }
        Assert.Equal(1, (await InboxAsync(blog, ada[blog])).GetProperty("unread").GetInt32());
        using (var marked = await InboxCallAsync(blog, ada[blog], HttpMethod.Post, "/read", new { ids = new[] { adas } }))
        {
            Assert.Equal(0, (await marked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("unread").GetInt32());
        }
        Assert.Empty(CommentIds(await InboxAsync(blog, ada[blog], "?unread=true")));
        using (var count = await InboxCallAsync(blog, ada[blog], HttpMethod.Get, "/unread"))
        {
            Assert.Equal(0, (await count.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("unread").GetInt32());
        }

        // Pages: one at a time, the cursor leads to the older one and then to the end.
        var reply2 = (await _client.CommentAsync(blog, blogPage, "And bake it five minutes less.", onBlog, "Cy Again")).Id();
        var first = await InboxAsync(blog, ada[blog], "?limit=1");
        Assert.Equal([reply2], CommentIds(first));
        var second = await InboxAsync(blog, ada[blog], $"?limit=1&before={first.GetProperty("next").GetInt64()}");
        Assert.Equal([fromCy], CommentIds(second));
        Assert.False(second.TryGetProperty("next", out _));
    }

    [Fact]
    public async Task AHeldReplyNotifiesOnlyOnceApprovedAndLeavesTheInboxWhenItLeavesPublicView()
    {
        var (site, moderator, _) = await App.SiteWithTeamMemberAsync("Mod Mira", SiteRole.Moderator, ModerationMode.Pre);
        var (_, ada) = await MemberAsync("Ada Waiting", site);
        var page = ApiCalls.NewPageUrl();
        var question = await PostAsMemberAsync(site, ada[site], page, "Which trail is open after the storm?");
        await DecideAsync(site, moderator, question, "approve");
        // Ada hears that her question is published (HeldOutcomeTests), and reads it; what follows is about the reply to it.
        using (var read = await InboxCallAsync(site, ada[site], HttpMethod.Post, "/read", new { all = true }))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        var reply = (await _client.CommentAsync(site, page, "The north trail reopened this morning.", question, "Ranger Rui")).Id();
        Assert.Empty(CommentIds(await InboxAsync(site, ada[site], "?kind=reply")));

        await DecideAsync(site, moderator, reply, "approve");
        Assert.Equal([reply], CommentIds(await InboxAsync(site, ada[site], "?kind=reply")));
        // Approved again after a change of mind: still one notification.
        await DecideAsync(site, moderator, reply, "reject");
        var gone = await InboxAsync(site, ada[site], "?kind=reply");
        Assert.Empty(CommentIds(gone));
        Assert.Equal(0, gone.GetProperty("unread").GetInt32());
        Assert.DoesNotContain("north trail", gone.GetRawText());
        await DecideAsync(site, moderator, reply, "approve");
        Assert.Equal([reply], CommentIds(await InboxAsync(site, ada[site], "?kind=reply")));
    }

    [Fact]
    public async Task TheInboxNeedsASignedInPersonAndRefusesBadInputClearly()
    {
        var site = await App.CreateSiteAsync();
        var (_, ada) = await MemberAsync("Ada Careful", site);
        using (var anonymous = await InboxCallAsync(site, null, HttpMethod.Get))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("sign_in_required", (await anonymous.ProblemAsync()).GetProperty("code").GetString());
        }
        using (var forged = await InboxCallAsync(site, "not-a-token", HttpMethod.Get, "/unread"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }
        foreach (var query in new[] { "?limit=0", "?limit=51", "?limit=ten", "?before=x", "?unread=maybe" })
        {
            using var bad = await InboxCallAsync(site, ada[site], HttpMethod.Get, query);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            await bad.ProblemAsync();
        }
        foreach (var body in new object[] { new { }, new { ids = new[] { 1L }, all = true }, new { ids = Enumerable.Range(1, 201).Select(i => (long)i).ToArray() } })
        {
            using var bad = await InboxCallAsync(site, ada[site], HttpMethod.Post, "/read", body);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            await bad.ProblemAsync();
        }
    }

    [Fact]
    public async Task TheInboxPageShowsRepliesSafelyAndMarksThemRead()
    {
        var site = await App.CreateSiteAsync();
        var (browser, ada) = await MemberAsync("Ada Pages", site);
        Assert.Contains("Nothing yet", await browser.GetAsync("/account/inbox"));
        var page = ApiCalls.NewPageUrl();
        var question = await PostAsMemberAsync(site, ada[site], page, "Is the library open on Sundays?");
        await _client.CommentAsync(site, page, "Only in winter <script>alert('x')</script> from ten to four.", question, "Lib <b>Rarian</b>");

        var html = await browser.GetAsync("/account/inbox");
        Assert.Contains("1 unread reply.", html);
        Assert.Contains("from ten to four", html);
        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains("Lib &lt;b&gt;Rarian&lt;/b&gt;", html);
        Assert.Contains($"href=\"{page}\"", html);

        using (var marked = await browser.SubmitAsync("/account/inbox", "/account/inbox/read"))
        {
            Assert.Equal(HttpStatusCode.Redirect, marked.StatusCode);
        }
        Assert.Contains("No unread replies.", await browser.GetAsync("/account/inbox"));
        Assert.Equal(0, (await InboxAsync(site, ada[site])).GetProperty("unread").GetInt32());

        // Signed out, the page asks to sign in.
        using var stranger = await App.NewBrowser().Client.GetAsync("/account/inbox");
        Assert.Equal(HttpStatusCode.Redirect, stranger.StatusCode);
        Assert.StartsWith("/account/signin", stranger.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task NotificationsAreInTheDataDownloadAndGoWithTheAccount()
    {
        var site = await App.CreateSiteAsync();
        var (browser, ada) = await MemberAsync("Ada Leaving", site);
        var page = ApiCalls.NewPageUrl();
        var question = await PostAsMemberAsync(site, ada[site], page, "Where do the ferries leave from in winter?");
        var reply = (await _client.CommentAsync(site, page, "From the east pier until March.", question, "Fen Ferry")).Id();

        using (var download = await browser.Client.GetAsync("/account/data"))
        {
            var data = JsonDocument.Parse(await download.Content.ReadAsStringAsync()).RootElement;
            var notification = Assert.Single(data.GetProperty("notifications").EnumerateArray());
            Assert.Equal(reply, notification.GetProperty("commentId").GetInt64());
            Assert.Equal(site, notification.GetProperty("site").GetString());
        }
        var userId = await App.InDatabaseAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Notifications.Where(n => n.CommentId == reply).Select(n => n.UserId)));

        using var deleted = await browser.SubmitAsync("/account/delete", "/account/delete", ("comments", "keep"), ("password", Password));
        Assert.Contains("Your account is deleted", await deleted.Content.ReadAsStringAsync());
        Assert.Equal(0, await App.InDatabaseAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
            db.Notifications.Where(n => n.UserId == userId))));
    }
}
