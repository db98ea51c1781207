using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Moderation;
using Hearth.Notifications;
using Hearth.Sites;
using Hearth.Tests.Accounts;
using Hearth.Tests.Identity;
using Hearth.Tests.Moderation;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Notifications;

/// <summary>
/// Someone whose comment waited for a moderator hears what became of it, in the widget's inbox, on the account's inbox
/// page and by e-mail; a comment turned down comes back to nobody with its words.
/// </summary>
public class HeldOutcomeTests(AccountsApp app) : InboxTestBase(app), IClassFixture<AccountsApp>
{
    static List<(string Kind, long Comment)> Items(JsonElement inbox) =>
        [.. inbox.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("kind").GetString()!, i.GetProperty("comment").GetProperty("id").GetInt64()))];

    [Fact]
    public async Task AnApprovedCommentsWriterIsToldInTheInboxOnThePageAndByMailAtOnce()
    {
        var (site, moderator, _) = await App.SiteWithTeamMemberAsync("Mod Marta", SiteRole.Moderator, ModerationMode.Pre);
        var (browser, email, ada) = await MemberWithAddressAsync("Ada Held", site);
        var page = ApiCalls.NewPageUrl();
        var held = await PostAsMemberAsync(site, ada[site], page, "The **night ferry** leaves from pier four, not pier two.");
        Assert.Empty(CommentIds(await InboxAsync(site, ada[site])));

        await DecideAsync(site, moderator, held, "approve");
        var inbox = await InboxAsync(site, ada[site]);
        Assert.Equal([("approved", held)], Items(inbox));
        Assert.Equal(1, inbox.GetProperty("unread").GetInt32());
        Assert.Contains("<strong>night ferry</strong>", inbox.GetProperty("items")[0].GetProperty("comment").GetProperty("html").GetString());
        Assert.Equal([("approved", held)], Items(await InboxAsync(site, ada[site], "?kind=approved")));
        var onPage = await browser.GetAsync("/account/inbox");
        Assert.Contains("was approved by a moderator and is public now", onPage);
        Assert.Contains("<strong>night ferry</strong>", onPage);

        await DealtWithAsync(held);
        var message = await App.Mail.WaitForAsync(email, "is published");
        Assert.Contains(page, message.Subject);
        Assert.Contains("night ferry leaves from pier four", message.TextBody);
        Assert.Contains("<strong>night ferry</strong>", message.HtmlBody);
        Assert.Contains("your held comments", message.TextBody);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);

        // Decided again, the same way: still one notification, one message.
        await DecideAsync(site, moderator, held, "reject");
        await DecideAsync(site, moderator, held, "approve");
        Assert.Equal([("approved", held)], Items(await InboxAsync(site, ada[site])));
        Assert.Equal(1, await App.InDatabaseAsync(db => db.Notifications.CountAsync(n => n.CommentId == held)));
        Assert.Single(Notices(email));
    }

    [Fact]
    public async Task ACommentTurnedDownIsToldWithoutItsWordsAndOnlyWhileItStaysTurnedDown()
    {
        var (site, moderator, _) = await App.SiteWithTeamMemberAsync("Mod Milo", SiteRole.Moderator, ModerationMode.Pre);
        var (browser, email, ada) = await MemberWithAddressAsync("Ada Declined", site);
        var page = ApiCalls.NewPageUrl();
        var rejected = await PostAsMemberAsync(site, ada[site], page, "Everyone at the marina is a crook, quote me.");
        var spam = await PostAsMemberAsync(site, ada[site], page, "Cheap moorings at my cousin's yard, call now.");

        await DecideAsync(site, moderator, rejected, "reject");
        await DecideAsync(site, moderator, spam, "spam");
        var inbox = await InboxAsync(site, ada[site]);
        Assert.Equal([("declined", spam), ("declined", rejected)], Items(inbox));
        Assert.Equal(2, inbox.GetProperty("unread").GetInt32());
        Assert.All(inbox.GetProperty("items").EnumerateArray(), i => Assert.Equal("", i.GetProperty("comment").GetProperty("html").GetString()));
        Assert.DoesNotContain("crook", inbox.GetRawText());
        Assert.DoesNotContain("moorings", inbox.GetRawText());
        var onPage = await browser.GetAsync("/account/inbox");
        Assert.Contains("was not published: a moderator turned it down", onPage);
        Assert.DoesNotContain("crook", onPage);

        await DealtWithAsync(rejected);
        await DealtWithAsync(spam);
        var message = await App.Mail.WaitForAsync(email, "was not published");
        Assert.DoesNotContain("crook", message.TextBody + message.HtmlBody);
        // Two refusals, two messages, which need not reach the mail server together: wait for the second too.
        await App.Mail.WaitForAsync(email, "was not published", alreadySeen: 1);
        Assert.DoesNotContain("moorings", string.Concat(Notices(email).Select(m => m.TextBody + m.HtmlBody)));
        Assert.Equal(2, Notices(email).Count);

        // Approved after all: the refusal leaves the inbox, and the approval comes.
        await DecideAsync(site, moderator, rejected, "approve");
        Assert.Equal([("declined", spam), ("approved", rejected)], Items(await InboxAsync(site, ada[site])));

        // A comment that was public and is taken down was not held: nothing new is written. The approval leaves with its
        // comment, and the earlier refusal, true again, is what the inbox says.
        await DecideAsync(site, moderator, rejected, "reject");
        Assert.Equal([("declined", spam), ("declined", rejected)], Items(await InboxAsync(site, ada[site])));
        Assert.Equal(["approved", "declined"],
            await App.InDatabaseAsync(db => db.Notifications.Where(n => n.CommentId == rejected).OrderBy(n => n.Kind).Select(n => n.Kind).ToListAsync()));
    }

    [Fact]
    public async Task ACommentThatWasPublicOrWhoseConversationIsMutedTellsNobody()
    {
        var (site, moderator, _) = await App.SiteWithTeamMemberAsync("Mod Mads", SiteRole.Moderator, ModerationMode.Post);
        var (_, ada) = await MemberAsync("Ada Public", site);
        var page = ApiCalls.NewPageUrl();
        var published = await PostAsMemberAsync(site, ada[site], page, "The lighthouse opens to visitors in May.");
        // Taken down, thrown out, brought back: it never waited for a moderator, so nothing was an answer to wait for.
        await DecideAsync(site, moderator, published, "spam");
        await DecideAsync(site, moderator, published, "reject");
        await DecideAsync(site, moderator, published, "approve");
        Assert.Empty(Items(await InboxAsync(site, ada[site])));

        var (heldSite, heldModerator, _) = await App.SiteWithTeamMemberAsync("Mod Mette", SiteRole.Moderator, ModerationMode.Pre);
        var (_, bo) = await MemberAsync("Bo Muted", heldSite);
        var heldPage = ApiCalls.NewPageUrl();
        var held = await PostAsMemberAsync(heldSite, bo[heldSite], heldPage, "Does the ferry take bicycles?");
        using (var mute = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/sites/{heldSite}/follow") { Content = JsonContent.Create(new { url = heldPage, state = "muted" }) })
        {
            mute.Headers.Authorization = new("Bearer", bo[heldSite]);
            using var muted = await _client.SendAsync(mute);
            Assert.Equal(HttpStatusCode.OK, muted.StatusCode);
        }
        await DecideAsync(heldSite, heldModerator, held, "approve");
        Assert.Empty(Items(await InboxAsync(heldSite, bo[heldSite])));
    }

    [Fact]
    public async Task AReportedCommentAShadowBannedOneAndAModeratorsOwnTellNobody()
    {
        var (site, moderator, secret) = await App.SiteWithTeamMemberAsync("Mod Mika", SiteRole.Moderator, ModerationMode.Pre);
        var (_, ada) = await MemberAsync("Ada Reported", site);
        var page = ApiCalls.NewPageUrl();

        // Public, then taken down by readers' reports: the moderator's verdict, either way, answers nobody's wait.
        var reported = await PostAsMemberAsync(site, ada[site], page, "The harbour master is asleep on the job again.");
        await DecideAsync(site, moderator, reported, "approve");
        foreach (var reader in new[] { "203.0.113.41", "203.0.113.42", "203.0.113.43" })
        {
            var report = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/comments/{reported}/report") { Content = JsonContent.Create(new { reason = "abuse" }) };
            report.Headers.Add("X-Forwarded-For", reader);
            using var sent = await _client.SendAsync(report);
            Assert.Equal(HttpStatusCode.NoContent, sent.StatusCode);
        }
        Assert.Equal((CommentStatus.Pending, ReportComment.Reason), await StateAsync(reported));
        await DecideAsync(site, moderator, reported, "reject");
        await DecideAsync(site, moderator, reported, "approve");
        // Only the first approval, of the comment held when it was written.
        Assert.Equal([("approved", reported)], Items(await InboxAsync(site, ada[site])));

        // A shadow-banned writer was told their comment is public: approving or rejecting it tells them nothing.
        using (var banned = await _client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/bans",
                   new { kind = "user", commentId = reported, reason = "Baiting", shadow = true }))
        {
            Assert.True(banned.IsSuccessStatusCode, $"the ban answered {(int)banned.StatusCode}");
        }
        var shadowed = await PostAsMemberAsync(site, ada[site], page, "Nobody here ever answers me anyway.");
        Assert.Equal((CommentStatus.Rejected, BanCheck.ShadowReason), await StateAsync(shadowed));
        await DecideAsync(site, moderator, shadowed, "approve");
        await DecideAsync(site, moderator, shadowed, "reject");
        Assert.Equal([("approved", reported)], Items(await InboxAsync(site, ada[site])));

        // The moderator deciding on their own held comment knows already.
        var own = await _client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(App, site, sub: $"moderator-{site}", name: "Mod Mika")));
        var mine = await PostAsMemberAsync(site, own, page, "The harbour office is open until six.");
        Assert.Equal(CommentStatus.Pending, (await StateAsync(mine)).Status);
        var moderatorsOwn = await App.InDatabaseAsync(db => db.Comments.Where(c => c.Id == mine).Select(c => c.Author.UserId).SingleAsync());
        // The same person as the moderator's API token: the site's only API session.
        Assert.Equal(moderatorsOwn, await App.InDatabaseAsync(db => db.MemberSessions
            .Where(m => m.Kind == MemberSession.Api && db.Sites.Any(x => x.Id == m.SiteId && x.Name == site)).Select(m => (long?)m.UserId).SingleAsync()));
        await DecideAsync(site, moderator, mine, "approve");
        Assert.Equal(CommentStatus.Published, (await StateAsync(mine)).Status);
        Assert.False(await App.InDatabaseAsync(db => db.Notifications.AnyAsync(n => n.CommentId == mine)));
    }

    Task<(CommentStatus Status, string? Reason)> StateAsync(long comment) =>
        App.InDatabaseAsync(db => db.Comments.Where(c => c.Id == comment).Select(c => new ValueTuple<CommentStatus, string?>(c.Status, c.ModerationReason)).SingleAsync());

    [Fact]
    public async Task TheWelcomeAndTheApprovalOfOneCommentArePagedTogether()
    {
        var (site, owner, _) = await App.SiteWithTeamMemberAsync("Owner Ottilie", SiteRole.Owner, ModerationMode.Pre);
        using (var set = await _client.AsModeratorAsync(owner, HttpMethod.Patch, $"/api/v1/sites/{site}/settings", new { welcomeMessage = "Glad you are here." }))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }
        var (_, ada) = await MemberAsync("Ada Paged", site);
        var page = ApiCalls.NewPageUrl();
        var first = await PostAsMemberAsync(site, ada[site], page, "My first words on this site.");
        var second = await PostAsMemberAsync(site, ada[site], page, "And my second ones.");
        await DecideAsync(site, owner, first, "approve");
        await DecideAsync(site, owner, second, "approve");

        // One at a time: the older page holds both notifications of the first comment, not one of them.
        var newest = await InboxAsync(site, ada[site], "?limit=1");
        Assert.Equal([("approved", second)], Items(newest));
        var older = await InboxAsync(site, ada[site], $"?limit=1&before={newest.GetProperty("next").GetInt64()}");
        Assert.Equal([("approved", first), ("welcome", first)], Items(older).Order().ToList());
        Assert.False(older.TryGetProperty("next", out _));
    }

    [Fact]
    public async Task AGuestIsToldNothingAndAWriterWhoChoseNeverGetsNoMail()
    {
        var (site, moderator, _) = await App.SiteWithTeamMemberAsync("Mod Maud", SiteRole.Moderator, ModerationMode.Pre);
        var (browser, email, ada) = await MemberWithAddressAsync("Ada Quiet", site);
        using (var saved = await browser.SubmitAsync("/account/inbox", "/account/inbox/mail",
                   ("reply", "immediately"), ("followed", "daily"), ("followedPerson", "daily"), ("held", "never")))
        {
            Assert.True(saved.IsSuccessStatusCode || saved.StatusCode == HttpStatusCode.Redirect, $"the e-mail choices answered {saved.StatusCode}");
        }
        using (var refused = await browser.SubmitAsync("/account/inbox", "/account/inbox/mail", ("reply", "immediately"), ("followed", "daily"), ("held", "weekly")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        Assert.Equal("never", (await App.InDatabaseAsync(db => db.Set<MailPreference>()
            .Where(p => p.Kind == MailPreference.Held && db.Users.Any(u => u.Id == p.UserId && u.Email == email)).Select(p => p.Delivery).SingleAsync())));
        var page = ApiCalls.NewPageUrl();
        var held = await PostAsMemberAsync(site, ada[site], page, "Is the slipway open to kayaks on Sundays?");
        var guest = (await _client.CommentAsync(site, page, "Same question from me, as a guest.", name: "Gus Guest")).Id();

        await DecideAsync(site, moderator, held, "approve");
        await DecideAsync(site, moderator, guest, "approve");
        Assert.Equal([("approved", held)], Items(await InboxAsync(site, ada[site])));
        await DealtWithAsync(held);
        Assert.False(await App.InDatabaseAsync(db => db.Notifications.AnyAsync(n => n.CommentId == guest
            && (n.Kind == Notification.Approved || n.Kind == Notification.Declined))));
        Assert.Empty(Notices(email));
    }
}
