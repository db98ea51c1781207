using System.Net;
using System.Text.Json;
using Hearth.GuestReplies;
using Hearth.Identity;
using Hearth.Mail;
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
/// README, "Replies by e-mail for guests": once confirmed, each published reply is mailed once, from the log in the
/// background, until the one-click link ends it; nothing for held, rejected or own replies, nothing lost or repeated.
/// </summary>
public class GuestReplyMailTests(AccountsApp app) : GuestReplyTestBase(app), IClassFixture<AccountsApp>
{
    [Fact]
    public async Task AReplyIsMailedOnceWithBothPartsAndTheOneClickPostEndsIt()
    {
        await HandedOutAsync();
        var (site, page, question, email) = await ConfirmedGuestAsync();
        var reply = await GuestPostsAsync(site, page, "Follow the **cliff path** & turn at <the stile>.", "Bo Boatman", null, parentId: question);
        // The guest answering in their own thread is not told of it.
        await GuestPostsAsync(site, page, "Thank you!", "Wren Walker", email, parentId: reply);

        await HandedOutAsync(email);
        var message = await App.Mail.WaitForAsync(email, "Bo Boatman replied to your comment");
        Assert.Contains(site, message.Subject);
        Assert.Contains("<strong>cliff path</strong>", message.HtmlBody);
        Assert.Contains("&lt;the stile&gt;", message.HtmlBody);
        Assert.DoesNotContain("<the stile>", message.HtmlBody);
        Assert.Contains("cliff path & turn at <the stile>.", message.TextBody);
        Assert.DoesNotContain("<strong>", message.TextBody);
        Assert.Contains(page, message.TextBody);
        Assert.Contains(page, message.HtmlBody);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        var header = message.Headers["List-Unsubscribe"];
        Assert.StartsWith("<http://localhost/guest-replies/stop?token=", header);
        var stop = header!.Trim('<', '>');
        // The same link is visible in both parts.
        Assert.Contains(stop, message.TextBody);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(stop), message.HtmlBody);

        // More rounds, each reading the log again behind its cursor, repeat nothing.
        await RoundAsync();
        await RoundAsync();
        await HandedOutAsync(email);
        Assert.Single(Replies(email));

        // Opening the link changes nothing; the one-click POST of RFC 8058 (no cookie, no token besides the link's) ends it.
        using var anonymous = App.CreateClient();
        using (var shown = await anonymous.GetAsync(Path(stop)))
        {
            Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        }
        Assert.NotNull(await SubscriptionAsync(email));
        using (var clicked = await anonymous.PostAsync(Path(stop), new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")])))
        {
            Assert.Equal(HttpStatusCode.OK, clicked.StatusCode);
        }
        Assert.Null(await SubscriptionAsync(email));
        Assert.False(await App.InDatabaseAsync(db => db.Set<GuestReplyMail>().AnyAsync(m => m.CommentId == reply)));

        await GuestPostsAsync(site, page, "The stile is gone now.", "Cy Captain", null, parentId: question);
        await HandedOutAsync(email);
        Assert.Single(Replies(email));
        // The spent link now shows it is not valid, and changes nothing.
        using var again = await anonymous.PostAsync(Path(stop), null);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
    }

    [Fact]
    public async Task AHeldReplyIsMailedOnlyOnceAModeratorApprovesIt()
    {
        await HandedOutAsync();
        var (site, moderator, _) = await App.SiteWithTeamMemberAsync("Mod Ola", SiteRole.Moderator, ModerationMode.Pre);
        var page = ApiCalls.NewPageUrl();
        var email = NewAddress();
        var question = await GuestPostsAsync(site, page, "Is the ferry running?", "Wren Waiting", email, true);
        await ConfirmAsync(email);
        using (var approved = await _client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{question}/approve"))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }
        var held = await GuestPostsAsync(site, page, "Only on Sundays.", "Held Harry", null, parentId: question);
        var rejected = await GuestPostsAsync(site, page, "Buy cheap tickets here.", "Spam Sam", null, parentId: question);
        await HandedOutAsync(email);
        Assert.Empty(Replies(email));

        using (var decided = await _client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{rejected}/reject"))
        {
            Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        }
        using (var approved = await _client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{held}/approve"))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }
        await HandedOutAsync(email);
        var message = Assert.Single(Replies(email));
        Assert.Contains("Held Harry", message.Subject);
    }

    [Fact]
    public async Task ARoundThatDiesBeforeCommittingQueuesNothingAndTwoAtOnceMailOnce()
    {
        await HandedOutAsync();
        var (site, page, question, email) = await ConfirmedGuestAsync();
        var reply = await GuestPostsAsync(site, page, "Take the lower path.", "Lo Lantern", null, parentId: question);
        var cursor = await App.InDatabaseAsync(db => db.InstanceSettings.Where(s => s.Name == GuestReplyRound.Cursor).Select(s => s.Value).SingleAsync());

        // The round queues the message, records it and moves its cursor, then dies before its commit: none of it stays.
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var round = scope.ServiceProvider.GetRequiredService<GuestReplyRound>();
            await Assert.ThrowsAsync<IOException>(() => round.RunAsync(CancellationToken.None, () => throw new IOException("the node stopped")));
        }
        Assert.Equal(0, await App.InDatabaseAsync(db => db.Set<QueuedMail>().CountAsync(m => m.To == email)));
        Assert.False(await App.InDatabaseAsync(db => db.Set<GuestReplyMail>().AnyAsync(m => m.CommentId == reply)));
        Assert.Equal(cursor, await App.InDatabaseAsync(db => db.InstanceSettings.Where(s => s.Name == GuestReplyRound.Cursor).Select(s => s.Value).SingleAsync()));

        // Two rounds at once (a lease that changed hands): one message.
        async Task<bool> TryRoundAsync()
        {
            await using var scope = App.Services.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<GuestReplyRound>().RunAsync(CancellationToken.None);
                return true;
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
            {
                return false;
            }
        }
        var results = await Task.WhenAll(TryRoundAsync(), TryRoundAsync());
        Assert.Contains(true, results);
        await App.Mail.WaitForAsync(email, "Lo Lantern");
        await RoundAsync();
        await HandedOutAsync(email);
        Assert.Single(Replies(email));
        Assert.True(await App.InDatabaseAsync(db => db.Set<GuestReplyMail>().AnyAsync(m => m.CommentId == reply)));
    }
}
