using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Conversations;
using Hearth.Moderation;
using Hearth.Sites;
using Hearth.Tests.Accounts;
using Hearth.Tests.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Notifications;

/// <summary>Ada asked on a page and Bo answered her: Ada's browser on her inbox, both access tokens, and Ada's notification of Bo's answer.</summary>
public sealed record Answered(Browser Ada, string AdaToken, string BoToken, string Site, string Page, long Question, long Answer, string AnswerEditToken,
    long Notification);

/// <summary>Conversations to answer from the inbox, the answer sent as the page's form sends it, and what a refusal leaves.</summary>
public abstract class InboxReplyTestBase(AccountsApp app) : InboxTestBase(app)
{
    protected async Task<Answered> AnsweredAsync(string? site = null)
    {
        site ??= await App.CreateSiteAsync();
        var (ada, adaTokens) = await MemberAsync("Ada Asks", site);
        var (_, boTokens) = await MemberAsync("Bo Answers", site);
        var page = ApiCalls.NewPageUrl();
        var question = await PostAsMemberAsync(site, adaTokens[site], page, "Does the blue kettle come with a spare lid?");
        using var posted = await _client.PostAsMemberAsync(site, boTokens[site], new { url = page, body = "Mine came with two lids in the box.", parentId = question });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var answer = await posted.Content.ReadFromJsonAsync<JsonElement>();
        var notification = (await InboxAsync(site, adaTokens[site])).GetProperty("items")[0].GetProperty("id").GetInt64();
        return new Answered(ada, adaTokens[site], boTokens[site], site, page, question, answer.Id(), answer.GetProperty("editToken").GetString()!, notification);
    }

    protected static Task<HttpResponseMessage> ReplyAsync(Browser browser, long notification, string body) =>
        browser.SubmitAsync("/account/inbox", "/account/inbox/reply", ("notification", notification.ToString()), ("body", body));

    /// <summary>Comments answering Bo's, in any state: what a refused reply must not have added.</summary>
    protected Task<int> AnswersToBoAsync(Answered a) =>
        App.InDatabaseAsync(db => db.Comments.CountAsync(c => c.ParentId == a.Answer || c.ReplyToId == a.Answer));

    protected async Task<bool> ReadAsync(Answered a) =>
        (await InboxAsync(a.Site, a.AdaToken)).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("id").GetInt64() == a.Notification).GetProperty("read").GetBoolean();

    /// <summary>Nothing was stored, the notification is still unread, and the page says why with the words kept under it.</summary>
    protected async Task AssertRefusedAsync(Answered a, HttpResponseMessage response, HttpStatusCode status, string why, string? kept = null)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {html}");
        Assert.Contains("Your reply was not sent: " + why, html);
        if (kept is not null)
        {
            Assert.Contains($"id=\"reply-{a.Notification}\"", html);
            Assert.Contains(">" + kept + "</textarea>", html);
        }
        Assert.Equal(0, await AnswersToBoAsync(a));
        Assert.False(await ReadAsync(a));
    }
}

/// <summary>Answering a reply or a mention from /account/inbox: posted as the widget posts, with every check it passes.</summary>
public class InboxReplyTests(AccountsApp app) : InboxReplyTestBase(app), IClassFixture<AccountsApp>
{
    [Fact]
    public async Task AReplySentFromTheInboxIsPublishedUnderTheAnswerAsTheAccountAndTheNotificationIsRead()
    {
        var a = await AnsweredAsync();
        var page = await a.Ada.GetAsync("/account/inbox");
        Assert.Contains("action=\"/account/inbox/reply\"", page);
        Assert.Contains($"name=\"notification\" value=\"{a.Notification}\"", page);
        Assert.Contains("Your reply to Bo Answers", page);

        using var sent = await ReplyAsync(a.Ada, a.Notification, "Thank you, Bo: *both* lids fit.");
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var location = sent.Headers.Location!.OriginalString;
        Assert.Matches(@"^/account/inbox\?replied=\d+#n" + a.Notification + "$", location);
        var after = await a.Ada.GetAsync(location);
        Assert.Contains($"Your reply is published. <a href=\"{a.Page}\">See the conversation</a>", after);
        Assert.Contains("No unread replies.", after);

        // In the conversation, as Ada, answering Bo; Bo is told, as by any reply.
        var thread = await _client.ThreadAsync(a.Site, a.Page);
        var reply = thread.GetProperty("comments").EnumerateArray().Single(c => c.GetProperty("html").GetString()!.Contains("<em>both</em>"));
        Assert.Equal("Ada Asks", reply.GetProperty("author").GetProperty("name").GetString());
        Assert.Equal("published", reply.GetProperty("status").GetString());
        var boInbox = await InboxAsync(a.Site, a.BoToken);
        Assert.Equal([reply.Id()], CommentIds(boInbox));
        Assert.Equal(a.Answer, boInbox.GetProperty("items")[0].GetProperty("comment").GetProperty("answeredId").GetInt64());
        Assert.True(await ReadAsync(a));

        // The same words again (a second click, a reload) are the first reply, not a twin.
        using var again = await ReplyAsync(a.Ada, a.Notification, "Thank you, Bo: *both* lids fit.");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(1, await AnswersToBoAsync(a));
    }

    [Fact]
    public async Task OnAPreModeratedSiteTheReplyWaitsForAModeratorAndSaysSo()
    {
        var a = await AnsweredAsync();
        await App.InDatabaseAsync(db => db.Sites.Where(s => s.Name == a.Site).ExecuteUpdateAsync(s => s.SetProperty(x => x.Moderation, ModerationMode.Pre)));
        App.Services.GetRequiredService<SiteDirectory>().Forget(a.Site);

        using var sent = await ReplyAsync(a.Ada, a.Notification, "Good to know, thank you.");
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var after = await a.Ada.GetAsync(sent.Headers.Location!.OriginalString);
        Assert.Contains("Your reply is waiting for a moderator", after);
        Assert.DoesNotContain("Your reply is published", after);

        var held = await App.InDatabaseAsync(db => db.Comments.SingleAsync(c => c.ParentId == a.Answer || c.ReplyToId == a.Answer));
        Assert.Equal(CommentStatus.Pending, held.Status);
        Assert.Equal("pre_moderation", held.ModerationReason);
        Assert.DoesNotContain("Good to know", (await _client.ThreadAsync(a.Site, a.Page)).GetRawText());
        Assert.Empty(CommentIds(await InboxAsync(a.Site, a.BoToken)));
        Assert.True(await ReadAsync(a));
    }

    [Fact]
    public async Task EmptyOrTooLongWordsAreRefusedWithTheReasonAndKept()
    {
        var a = await AnsweredAsync();
        using (var empty = await ReplyAsync(a.Ada, a.Notification, "   "))
        {
            await AssertRefusedAsync(a, empty, HttpStatusCode.BadRequest, "The comment is empty.");
        }
        var tooLong = new string('x', CommentInput.MaxBodyLength + 1);
        using (var refused = await ReplyAsync(a.Ada, a.Notification, tooLong))
        {
            await AssertRefusedAsync(a, refused, HttpStatusCode.BadRequest,
                $"The comment is {tooLong.Length} characters long; at most {CommentInput.MaxBodyLength} are allowed.", kept: tooLong);
        }
    }

    [Fact]
    public async Task ALockedOrClosedConversationRefusesTheReply()
    {
        var a = await AnsweredAsync();
        await App.InDatabaseAsync(db => db.Threads.Where(t => t.Url == a.Page).ExecuteUpdateAsync(t => t.SetProperty(x => x.Locked, true)));
        using (var locked = await ReplyAsync(a.Ada, a.Notification, "One more question about the lids."))
        {
            await AssertRefusedAsync(a, locked, HttpStatusCode.Forbidden, "This conversation is closed to new comments.", kept: "One more question about the lids.");
        }

        // Closed by age rather than by hand: the same.
        await App.InDatabaseAsync(db => db.Threads.Where(t => t.Url == a.Page).ExecuteUpdateAsync(t => t.SetProperty(x => x.Locked, false)));
        await App.InDatabaseAsync(db => db.Sites.Where(s => s.Name == a.Site).ExecuteUpdateAsync(s => s.SetProperty(x => x.CloseAfterDays, 1)));
        App.Services.GetRequiredService<SiteDirectory>().Forget(a.Site);
        App.Clock.Advance(TimeSpan.FromDays(2));
        using var closed = await ReplyAsync(a.Ada, a.Notification, "Still there?");
        await AssertRefusedAsync(a, closed, HttpStatusCode.Forbidden, "This conversation is closed to new comments.");
    }

    [Fact]
    public async Task ABannedPersonIsRefusedWithTheReason()
    {
        var a = await AnsweredAsync();
        var userId = await App.InDatabaseAsync(db => db.Comments.Where(c => c.Id == a.Question).Select(c => c.Author.UserId!.Value).SingleAsync());
        await App.InDatabaseAsync(async db =>
        {
            db.Bans.Add(new Ban
            {
                SiteId = await db.Sites.Where(s => s.Name == a.Site).Select(s => s.Id).SingleAsync(), Kind = Ban.User, Value = userId.ToString(),
                Reason = "Shouting at people", CreatedBy = "Mo", CreatedAt = App.Clock.GetUtcNow().UtcDateTime,
            });
            return await db.SaveChangesAsync();
        });
        using var refused = await ReplyAsync(a.Ada, a.Notification, "Thanks!");
        await AssertRefusedAsync(a, refused, HttpStatusCode.Forbidden, "You may not comment on this site. Reason: Shouting at people", kept: "Thanks!");
    }

    [Fact]
    public async Task AnAnswerDeletedOrTakenDownSinceCannotBeRepliedTo()
    {
        // Someone else answered Bo too, so his deleted comment stays as a tombstone, and Ada's notification with it.
        var a = await AnsweredAsync();
        await _client.CommentAsync(a.Site, a.Page, "Two lids? Mine had one.", a.Answer, "Cy Curious");
        await DeleteAsync(a.Site, a.Answer, a.AnswerEditToken);
        // The page (open since before) still has the form; the notification is gone from the list, so the reason is at the top.
        using (var refused = await ReplyAsync(a.Ada, a.Notification, "Thanks!"))
        {
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("Your reply was not sent: That comment cannot be answered: it is deleted or not yet published.", html);
            Assert.DoesNotContain($"id=\"n{a.Notification}\"", html);
        }
        Assert.Equal(1, await AnswersToBoAsync(a));

        // Deleted with nothing under it, the comment goes, and its notification with it.
        var b = await AnsweredAsync();
        await DeleteAsync(b.Site, b.Answer, b.AnswerEditToken);
        using var gone = await ReplyAsync(b.Ada, b.Notification, "Thanks!");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Contains("Your reply was not sent: That notification is not in your inbox.", await gone.Content.ReadAsStringAsync());
        Assert.Equal(0, await AnswersToBoAsync(b));
    }

    async Task DeleteAsync(string site, long id, string editToken)
    {
        var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/sites/{site}/comments/{id}");
        delete.Headers.Add("X-Edit-Token", editToken);
        using var deleted = await _client.SendAsync(delete);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task WithoutTheFormsAntiForgeryTokenNothingIsSent()
    {
        var a = await AnsweredAsync();
        using var forged = await a.Ada.PostAsync("/account/inbox/reply", ("notification", a.Notification.ToString()), ("body", "Sent from another site's page"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("This form has expired", await forged.Content.ReadAsStringAsync());
        Assert.Equal(0, await AnswersToBoAsync(a));
        Assert.False(await ReadAsync(a));
    }

    [Fact]
    public async Task NobodyAnswersThroughAnotherPersonsNotificationAndOnlyRepliesAndMentionsAreAnswered()
    {
        var a = await AnsweredAsync();
        var (eve, _) = await MemberAsync("Eve Elsewhere", a.Site);
        using (var stolen = await ReplyAsync(eve, a.Notification, "Answering in Ada's place"))
        {
            Assert.Equal(HttpStatusCode.NotFound, stolen.StatusCode);
            Assert.Contains("Your reply was not sent: That notification is not in your inbox.", await stolen.Content.ReadAsStringAsync());
        }
        using (var nonsense = await ReplyAsync(eve, -1, "Answering nothing"))
        {
            Assert.Equal(HttpStatusCode.NotFound, nonsense.StatusCode);
        }
        Assert.Equal(0, await AnswersToBoAsync(a));
        Assert.False(await ReadAsync(a));

        // A welcome is about Ada's own comment: there is nobody to answer.
        var welcoming = await App.CreateSiteAsync();
        await App.InDatabaseAsync(db => db.Sites.Where(s => s.Name == welcoming).ExecuteUpdateAsync(s => s.SetProperty(x => x.WelcomeMessage, "Glad you are here.")));
        App.Services.GetRequiredService<SiteDirectory>().Forget(welcoming);
        var (cleo, cleoTokens) = await MemberAsync("Cleo New", welcoming);
        var first = await PostAsMemberAsync(welcoming, cleoTokens[welcoming], ApiCalls.NewPageUrl(), "Hello, first time here.");
        var welcome = await App.InDatabaseAsync(db => db.Notifications.Where(n => n.CommentId == first).Select(n => n.Id).SingleAsync());
        Assert.DoesNotContain("action=\"/account/inbox/reply\"", await cleo.GetAsync("/account/inbox"));
        using var refused = await ReplyAsync(cleo, welcome, "Thanks for the welcome");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Only a comment by someone else can be answered from the inbox", await refused.Content.ReadAsStringAsync());
        Assert.Equal(1, await App.InDatabaseAsync(db => db.Comments.CountAsync(c => c.Author.Name == "Cleo New")));

        // Signed out, the form leads to signing in.
        using var stranger = await App.NewBrowser().PostAsync("/account/inbox/reply", ("notification", a.Notification.ToString()), ("body", "Hi"));
        Assert.NotEqual(HttpStatusCode.OK, stranger.StatusCode);
        Assert.Equal(0, await AnswersToBoAsync(a));
    }
}

/// <summary>A site that lets one person post once a minute.</summary>
public sealed class SlowPostingApp : AccountsApp
{
    protected override IReadOnlyDictionary<string, string> Settings =>
        new Dictionary<string, string>(base.Settings) { ["Hearth:RateLimits:CommentsPerAuthorPerMinute"] = "1" };
}

public class InboxReplyPaceTests(SlowPostingApp app) : InboxReplyTestBase(app), IClassFixture<SlowPostingApp>
{
    [Fact]
    public async Task AReplyFasterThanTheSiteAllowsIsRefusedWithWhenToTryAgain()
    {
        // Ada's question spent her one post of the minute.
        var a = await AnsweredAsync();
        using var refused = await ReplyAsync(a.Ada, a.Notification, "Quick thanks!");
        await AssertRefusedAsync(a, refused, (HttpStatusCode)429, "You are posting faster than this site allows.", kept: "Quick thanks!");
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }
}
