using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Identity;
using Hearth.Mail;
using Hearth.Notifications;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Tests.Accounts;
using Hearth.Tests.Identity;
using Hearth.Tests.Moderation;
using Hearth.Tests.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Hearth.Tests.Notifications;

/// <summary>
/// Notifications by e-mail, through the real SMTP sender to a server on loopback (<see cref="MailCatcher"/>): each
/// person's choice per kind, digests, exactly once, nothing for what is no longer public, one-click unsubscribe.
/// </summary>
public class NotificationMailTests(AccountsApp app) : InboxTestBase(app), IClassFixture<AccountsApp>
{
    /// <summary>Nothing for this address is waiting in the queue, so what the catcher has is all there will be.</summary>
    async Task QueueEmptyForAsync(string email) =>
        await Node.UntilAsync(() => App.InDatabaseAsync(async db => !await db.Set<QueuedMail>().AnyAsync(m => m.To == email)), $"mail to {email} sent");

    Task<HttpResponseMessage> PreferencesCallAsync(string site, string? token, HttpMethod method, object? body = null) =>
        InboxCallAsync(site, token, method, "/preferences", body);

    async Task<JsonElement> PreferencesAsync(string site, string token)
    {
        using var response = await PreferencesCallAsync(site, token, HttpMethod.Get);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }

    /// <summary>The account's e-mail choices, set on its inbox page as the person would.</summary>
    static async Task ChooseAsync(Browser browser, string reply, string followed)
    {
        using var saved = await browser.SubmitAsync("/account/inbox", "/account/inbox/mail", ("reply", reply), ("followed", followed));
        Assert.True(saved.IsSuccessStatusCode || saved.StatusCode == HttpStatusCode.Redirect, $"the inbox page's e-mail choices answered {saved.StatusCode}");
    }

    /// <summary>The address's notification e-mails but those telling that a held comment of its own was published.</summary>
    List<MimeMessage> OthersNotices(string email) => [.. Notices(email).Where(m => !(m.Subject ?? "").StartsWith("Your comment on", StringComparison.Ordinal))];

    static string Unsubscribe(MimeMessage message)
    {
        var header = message.Headers["List-Unsubscribe"];
        Assert.NotNull(header);
        Assert.StartsWith("<http://localhost/account/unsubscribe?token=", header);
        return header.Trim('<', '>')["http://localhost".Length..];
    }

    [Fact]
    public async Task AReplyIsMailedAtOnceWithBothPartsAndTheOneClickPostUnsubscribes()
    {
        var site = await App.CreateSiteAsync();
        var (_, email, ada) = await MemberWithAddressAsync("Ada Mailed", site);
        var page = ApiCalls.NewPageUrl();
        var question = await PostAsMemberAsync(site, ada[site], page, "Is the harbour ferry running in winter?");
        var reply = (await _client.CommentAsync(site, page, "Yes, **twice a day** & on <weekends> too.", question, "Bo Boatman")).Id();

        await DealtWithAsync(reply);
        var message = await App.Mail.WaitForAsync(email, "Bo Boatman replied to you");
        Assert.Contains(site, message.Subject);
        Assert.Contains(page, message.Subject);
        Assert.Contains("<strong>twice a day</strong>", message.HtmlBody);
        Assert.Contains("&lt;weekends&gt;", message.HtmlBody);
        Assert.DoesNotContain("<weekends>", message.HtmlBody);
        Assert.Contains("twice a day & on <weekends> too.", message.TextBody);
        Assert.DoesNotContain("<strong>", message.TextBody);
        Assert.Contains(page, message.TextBody);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        var unsubscribe = Unsubscribe(message);

        // A mail scanner opening the link changes nothing; the page offers a button.
        var shown = await _client.GetAsync(unsubscribe);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains("<form method=\"post\"", await shown.Content.ReadAsStringAsync());
        Assert.Equal("immediately", (await PreferencesAsync(site, ada[site])).GetProperty("reply").GetString());

        // The one-click POST of RFC 8058: no cookie, no anti-forgery token.
        using var anonymous = App.CreateClient();
        using (var clicked = await anonymous.PostAsync(unsubscribe, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")])))
        {
            Assert.Equal(HttpStatusCode.OK, clicked.StatusCode);
        }
        var preferences = await PreferencesAsync(site, ada[site]);
        Assert.Equal("never", preferences.GetProperty("reply").GetString());
        Assert.Equal("daily", preferences.GetProperty("followed").GetString());

        var second = (await _client.CommentAsync(site, page, "Check the timetable at the pier.", question, "Cy Captain")).Id();
        await DealtWithAsync(second);
        await QueueEmptyForAsync(email);
        Assert.Single(Notices(email));
        // Still in the inbox: unsubscribing is about e-mail only.
        Assert.Equal([second, reply], CommentIds(await InboxAsync(site, ada[site])));
    }

    [Fact]
    public async Task AMentionIsMailedUnderItsOwnChoiceWhichFollowsTheChoiceForRepliesUntilMade()
    {
        var site = await App.CreateSiteAsync();
        var (_, email, ada) = await MemberWithAddressAsync("Ada Named", site);
        var (otherBrowser, otherEmail, cy) = await MemberWithAddressAsync("Cy Named", site);
        var page = ApiCalls.NewPageUrl();
        await PostAsMemberAsync(site, ada[site], page, "I walked the coast path from the lighthouse today.");
        await PostAsMemberAsync(site, cy[site], page, "Same here, the cliffs were covered in thrift.");
        // Cy chose, before mentions had a choice of their own, no e-mail for replies: mentions were mailed under it.
        await ChooseAsync(otherBrowser, reply: "never", followed: "daily");
        var preferences = await PreferencesAsync(site, cy[site]);
        Assert.Equal("never", preferences.GetProperty("mention").GetString());

        var naming = (await _client.CommentAsync(site, page, "@AdaNamed and @CyNamed, did you see the seals below the point?", name: "Bo Birder")).Id();
        await DealtWithAsync(naming);
        var message = await App.Mail.WaitForAsync(email, "Bo Birder mentioned you");
        Assert.Contains("seals below the point", message.TextBody);
        Assert.Contains("mentions of you", message.TextBody);
        await QueueEmptyForAsync(otherEmail);
        Assert.Empty(Notices(otherEmail));

        // Unsubscribing from a mention stops mentions, not replies.
        using (var posted = await App.CreateClient().PostAsync(Unsubscribe(message), new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")])))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }
        var after = await PreferencesAsync(site, ada[site]);
        Assert.Equal("never", after.GetProperty("mention").GetString());
        Assert.Equal("immediately", after.GetProperty("reply").GetString());
    }

    [Fact]
    public async Task ATamperedOrForeignUnsubscribeLinkIsRefusedAndChangesNothing()
    {
        var site = await App.CreateSiteAsync();
        var (_, email, ada) = await MemberWithAddressAsync("Ada Tamper", site);
        var (_, _, eve) = await MemberWithAddressAsync("Eve Tamper", site);
        var page = ApiCalls.NewPageUrl();
        var question = await PostAsMemberAsync(site, ada[site], page, "Where do I park for the market?");
        var reply = (await _client.CommentAsync(site, page, "Behind the church, it is free.", question, "Bo Local")).Id();
        await DealtWithAsync(reply);
        var link = Unsubscribe(await App.Mail.WaitForAsync(email, "Bo Local"));
        var token = Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + "token=".Length)..]);
        var parts = token.Split('.');
        var tampered = new[]
        {
            $"{long.Parse(parts[0]) + 1}.{parts[1]}.{parts[2]}.{parts[3]}",
            $"{parts[0]}.followed.{parts[2]}.{parts[3]}",
            $"{parts[0]}.{parts[1]}.{long.Parse(parts[2]) + 1000}.{parts[3]}",
            $"{parts[0]}.{parts[1]}.{parts[2]}.{parts[3][..^2]}AA",
            "nonsense",
            "",
        };
        using var anonymous = App.CreateClient();
        foreach (var bad in tampered)
        {
            using var posted = await anonymous.PostAsync("/account/unsubscribe?token=" + Uri.EscapeDataString(bad), new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
            Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
            Assert.Contains("not valid", await posted.Content.ReadAsStringAsync());
            using var shown = await anonymous.GetAsync("/account/unsubscribe?token=" + Uri.EscapeDataString(bad));
            Assert.Equal(HttpStatusCode.BadRequest, shown.StatusCode);
        }
        Assert.Equal("immediately", (await PreferencesAsync(site, ada[site])).GetProperty("reply").GetString());
        Assert.Equal("immediately", (await PreferencesAsync(site, eve[site])).GetProperty("reply").GetString());
        Assert.Equal("daily", (await PreferencesAsync(site, ada[site])).GetProperty("followed").GetString());

        // An old link stops working when it expires, and changes nothing then either.
        App.Clock.Advance(UnsubscribeToken.Lifetime + TimeSpan.FromMinutes(1));
        using (var expired = await anonymous.PostAsync(link, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")])))
        {
            Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
        }
        var adaId = await App.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).FirstAsync());
        Assert.False(await App.InDatabaseAsync(db => db.Set<MailPreference>().AnyAsync(p => p.UserId == adaId)));
    }

    [Fact]
    public async Task NothingIsMailedForAReplyRejectedBeforeTheJobGotToIt()
    {
        var (site, moderator, _) = await App.SiteWithTeamMemberAsync("Mod Mailer", SiteRole.Moderator, ModerationMode.Pre);
        var (_, email, ada) = await MemberWithAddressAsync("Ada Rejected", site);
        var page = ApiCalls.NewPageUrl();
        var question = await PostAsMemberAsync(site, ada[site], page, "Which trail is open after the storm?");
        await DecideAsync(site, moderator, question, "approve");
        var spam = (await _client.CommentAsync(site, page, "Cheap watches at example dot com", question, "Spammer Sam")).Id();
        await DecideAsync(site, moderator, spam, "approve");
        await DecideAsync(site, moderator, spam, "reject");
        var good = (await _client.CommentAsync(site, page, "The north trail reopened this morning.", question, "Ranger Rui")).Id();
        await DecideAsync(site, moderator, good, "approve");

        await DealtWithAsync(spam);
        await DealtWithAsync(good);
        await App.Mail.WaitForAsync(email, "Ranger Rui");
        await QueueEmptyForAsync(email);
        Assert.Single(OthersNotices(email));
        Assert.DoesNotContain(OthersNotices(email), m => (m.TextBody ?? "").Contains("watches"));
        // Approved again later: it was not mailed then, and is not mailed now.
        await DecideAsync(site, moderator, spam, "approve");
        App.Clock.Advance(Leases.Renewal);
        App.Clock.Advance(Leases.Renewal);
        await QueueEmptyForAsync(email);
        Assert.Single(OthersNotices(email));
    }

    [Fact]
    public async Task ADailyDigestBatchesThatDaysUnreadPublishedNotificationsAndIsSentOnce()
    {
        var (site, moderator, _) = await App.SiteWithTeamMemberAsync("Mod Digest", SiteRole.Moderator, ModerationMode.Pre);
        var (browser, email, ada) = await MemberWithAddressAsync("Ada Digest", site);
        await ChooseAsync(browser, reply: "daily", followed: "daily");
        Assert.Equal("daily", (await PreferencesAsync(site, ada[site])).GetProperty("reply").GetString());
        var page = ApiCalls.NewPageUrl();
        var question = await PostAsMemberAsync(site, ada[site], page, "Best bakery near the station?");
        async Task<long> ApprovedReplyAsync(string words, string name)
        {
            var id = (await _client.CommentAsync(site, page, words, question, name)).Id();
            using var decided = await _client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{id}/approve");
            Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
            return id;
        }
        using (var approved = await _client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{question}/approve"))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }
        await ApprovedReplyAsync("The one with the blue door, cardamom buns.", "Kept Kim");
        var read = await ApprovedReplyAsync("Try the station kiosk first.", "Read Rob");
        var rejected = await ApprovedReplyAsync("Visit my shop online now.", "Rejected Rex");
        await ApprovedReplyAsync("Rye bread at the corner, early.", "Kept Lou");
        var notificationOfRead = (await InboxAsync(site, ada[site])).GetProperty("items").EnumerateArray()
            .First(i => i.GetProperty("comment").GetProperty("id").GetInt64() == read).GetProperty("id").GetInt64();
        using (var marked = await InboxCallAsync(site, ada[site], HttpMethod.Post, "/read", new { ids = new[] { notificationOfRead } }))
        {
            Assert.Equal(HttpStatusCode.OK, marked.StatusCode);
        }
        using (var decided = await _client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{rejected}/reject"))
        {
            Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        }

        // A round during the day sends nothing (unless the test runs so close to midnight that the day has ended).
        var now = App.Clock.GetUtcNow();
        await using (var scope = App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<NotificationMailRound>().RunAsync(CancellationToken.None);
        }
        if (App.Clock.GetUtcNow().Date == now.Date)
        {
            var adaId = await App.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).FirstAsync());
            Assert.Equal(4, await App.InDatabaseAsync(db => db.Notifications.CountAsync(n => n.UserId == adaId && n.MailedAt == null)));
            // (The word that her question is published goes at once, and may still be queued.)
            Assert.Equal(0, await App.InDatabaseAsync(db => db.Set<QueuedMail>().CountAsync(m => m.To == email && !m.Subject.StartsWith("Your comment on"))));
        }

        // Past midnight UTC: one digest with exactly the unread, still public ones.
        App.Clock.Advance(now.UtcDateTime.Date.AddDays(1) - now.UtcDateTime + TimeSpan.FromSeconds(1));
        var digest = await App.Mail.WaitForAsync(email, "replies to you");
        Assert.StartsWith("2 replies to you on " + page, digest.Subject);
        Assert.Contains("cardamom buns", digest.TextBody);
        Assert.Contains("Rye bread", digest.TextBody);
        Assert.Contains("cardamom buns", digest.HtmlBody);
        Assert.DoesNotContain("kiosk", digest.TextBody);
        Assert.DoesNotContain("shop online", digest.TextBody);
        Assert.DoesNotContain("shop online", digest.HtmlBody);
        Unsubscribe(digest);

        // Another day of rounds sends it no second time.
        App.Clock.Advance(TimeSpan.FromDays(1));
        for (var i = 0; i < 3; i++)
        {
            App.Clock.Advance(Leases.Renewal);
        }
        await Node.UntilAsync(() => App.InDatabaseAsync(db => db.Notifications.AllAsync(n => n.MailedAt != null)), "every notification dealt with");
        await QueueEmptyForAsync(email);
        Assert.Single(OthersNotices(email));
    }

    [Fact]
    public async Task AnHourlyChoiceForFollowedConversationsSendsOneDigestAfterTheHour()
    {
        var site = await App.CreateSiteAsync();
        // The hand-out of followed conversations starts from where the log was at its first round: after that round.
        await Node.UntilAsync(() => App.InDatabaseAsync(db => db.InstanceSettings.AnyAsync(s => s.Name == FollowedThreadsNotifier.Cursor)),
            "the followed conversations' hand-out started", () => App.Clock.Advance(Leases.Renewal));
        var (browser, email, ada) = await MemberWithAddressAsync("Ada Hourly", site);
        await ChooseAsync(browser, reply: "immediately", followed: "hourly");
        var page = ApiCalls.NewPageUrl();
        await PostAsMemberAsync(site, ada[site], page, "Who is bringing the lanterns on Friday?");
        var first = (await _client.CommentAsync(site, page, "I have six, all with new wicks.", name: "Bo Lantern")).Id();
        var second = (await _client.CommentAsync(site, page, "I can bring the long matches.", name: "Cy Matches")).Id();
        await Node.UntilAsync(() => App.InDatabaseAsync(db => db.Notifications.CountAsync(n => n.Kind == Notification.Followed && (n.CommentId == first || n.CommentId == second)).ContinueWith(t => t.Result == 2)),
            "both comments handed out to the follower", () => App.Clock.Advance(Leases.Renewal));
        var written = await App.InDatabaseAsync(db => db.Notifications.Where(n => n.CommentId == second).Select(n => n.CreatedAt).FirstAsync());

        var nextHour = new DateTime(written.Year, written.Month, written.Day, written.Hour, 0, 0, DateTimeKind.Utc).AddHours(1);
        App.Clock.Advance(nextHour - App.Clock.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(1));
        var digest = await App.Mail.WaitForAsync(email, "2 new comments in conversations you follow");
        Assert.Contains("new wicks", digest.TextBody);
        Assert.Contains("long matches", digest.HtmlBody);
        Assert.Contains("this hour's", digest.TextBody);
        Assert.Contains(".followed.", Unsubscribe(digest));

        App.Clock.Advance(TimeSpan.FromHours(1));
        await DealtWithAsync(second);
        await QueueEmptyForAsync(email);
        Assert.Single(Notices(email));
    }

    [Fact]
    public async Task ARoundThatFailsBeforeCommittingQueuesNothingAndTwoAtOnceMailOnce()
    {
        var site = await App.CreateSiteAsync();
        var (_, email, ada) = await MemberWithAddressAsync("Ada Crash", site);
        var page = ApiCalls.NewPageUrl();
        var question = await PostAsMemberAsync(site, ada[site], page, "Does the library open on Sundays?");
        var reply = (await _client.CommentAsync(site, page, "Only in winter, from noon.", question, "Lib Lee")).Id();

        // The round queues the message and marks the notification, then dies before its commit: neither stays.
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var round = scope.ServiceProvider.GetRequiredService<NotificationMailRound>();
            await Assert.ThrowsAsync<IOException>(() => round.RunAsync(CancellationToken.None,
                () => throw new IOException("the node stopped")));
        }
        Assert.Equal(0, await App.InDatabaseAsync(db => db.Set<QueuedMail>().CountAsync(m => m.To == email)));
        Assert.Equal(1, await App.InDatabaseAsync(db => db.Notifications.CountAsync(n => n.CommentId == reply && n.MailedAt == null)));

        // Two rounds at once (a lease that changed hands): one message.
        async Task<bool> RoundAsync()
        {
            await using var scope = App.Services.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<NotificationMailRound>().RunAsync(CancellationToken.None);
                return true;
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
            {
                return false;
            }
        }
        var results = await Task.WhenAll(RoundAsync(), RoundAsync());
        Assert.Contains(true, results);
        await DealtWithAsync(reply);
        await App.Mail.WaitForAsync(email, "Lib Lee");
        for (var i = 0; i < 3; i++)
        {
            App.Clock.Advance(Leases.Renewal);
        }
        await QueueEmptyForAsync(email);
        Assert.Single(Notices(email));
    }

    [Fact]
    public async Task PreferencesThroughTheApiAndTheInboxPageRefuseBadInputAndKeepWhatWasStored()
    {
        var site = await App.CreateSiteAsync();
        var (browser, _, ada) = await MemberWithAddressAsync("Ada Chooser", site);
        var defaults = await PreferencesAsync(site, ada[site]);
        Assert.Equal("immediately", defaults.GetProperty("reply").GetString());
        Assert.Equal("daily", defaults.GetProperty("followed").GetString());
        Assert.True(defaults.GetProperty("email").GetBoolean());

        using (var anonymous = await PreferencesCallAsync(site, null, HttpMethod.Get))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        using (var anonymous = await PreferencesCallAsync(site, null, HttpMethod.Put, new { reply = "never" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        // An account's choices hold for mail from every site, and a site's pages can read its widget's token: through a
        // site's token they are read, never changed.
        using (var refused = await PreferencesCallAsync(site, ada[site], HttpMethod.Put, new { reply = "never" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("account_setting", (await refused.ProblemAsync()).GetProperty("code").GetString());
        }
        var unchanged = await PreferencesAsync(site, ada[site]);
        Assert.Equal("immediately", unchanged.GetProperty("reply").GetString());
        Assert.Equal("daily", unchanged.GetProperty("followed").GetString());

        // Someone who exists on the site alone (made by its sign-in) changes theirs through the site's token.
        var secret = await App.EnableSsoAsync(site);
        var dana = await _client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(App, site, sub: "mail-choices", name: "Dana Chooser")));
        foreach (var body in new object[] { new { }, new { reply = "sometimes" }, new { reply = "hourly", followed = "weekly" }, new { reply = "" }, new { followed = "NEVER" } })
        {
            using var bad = await PreferencesCallAsync(site, dana, HttpMethod.Put, body);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            await bad.ProblemAsync();
        }
        Assert.Equal("daily", (await PreferencesAsync(site, dana)).GetProperty("followed").GetString());
        using (var set = await PreferencesCallAsync(site, dana, HttpMethod.Put, new { followed = "hourly" }))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
            Assert.Equal("hourly", (await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("followed").GetString());
        }
        Assert.Equal("daily", (await PreferencesAsync(site, ada[site])).GetProperty("followed").GetString());
        await ChooseAsync(browser, reply: "immediately", followed: "hourly");

        // The inbox page: the form shows the choices, refuses a bad one, and saves good ones.
        var inbox = await browser.GetAsync("/account/inbox");
        Assert.Contains("<option value=\"hourly\" selected>", inbox);
        using (var bad = await browser.SubmitAsync("/account/inbox", "/account/inbox/mail", ("reply", "loudly"), ("followed", "daily")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }
        Assert.Equal("hourly", (await PreferencesAsync(site, ada[site])).GetProperty("followed").GetString());
        using (var forged = await App.CreateClient().PostAsync("/account/inbox/mail", new FormUrlEncodedContent([new("reply", "never"), new("followed", "never")])))
        {
            Assert.NotEqual(HttpStatusCode.OK, forged.StatusCode);
            Assert.NotEqual(HttpStatusCode.Redirect, forged.StatusCode);
        }
        using (var good = await browser.SubmitAsync("/account/inbox", "/account/inbox/mail", ("reply", "never"), ("followed", "daily")))
        {
            Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        }
        var saved = await PreferencesAsync(site, ada[site]);
        Assert.Equal("never", saved.GetProperty("reply").GetString());
        Assert.Equal("daily", saved.GetProperty("followed").GetString());

        // The account's data download carries the choices.
        using var download = await browser.Client.GetAsync("/account/data");
        var exported = JsonDocument.Parse(await download.Content.ReadAsStringAsync()).RootElement.GetProperty("mailPreferences");
        Assert.Equal("never", exported.GetProperty("reply").GetString());
        Assert.Equal("daily", exported.GetProperty("followed").GetString());
    }
}
