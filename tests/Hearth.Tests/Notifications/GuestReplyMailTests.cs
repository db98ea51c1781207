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
/// README, "Replies by e-mail for guests": a guest who left an address asks with <c>notifyReplies</c>, confirms by a link
/// (a page with a button, so opening changes nothing), and then gets each published reply once, through the real SMTP
/// sender to a server on loopback, until the one-click link ends it.
/// </summary>
public class GuestReplyMailTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Secret = "lighthouse keeper's cat";
    readonly HttpClient _client = app.CreateClient();

    static string NewAddress() => $"guest-{Guid.NewGuid():N}@mail.example";

    Task<HttpResponseMessage> PostAsync(string site, string url, string body, string name, string? email, bool? notifyReplies, long? parentId = null) =>
        _client.PostCommentAsync(site, new { url, parentId, body, author = new { name, email }, notifyReplies });

    async Task<long> GuestPostsAsync(string site, string url, string body, string name, string? email, bool? notifyReplies = null, long? parentId = null)
    {
        using var response = await PostAsync(site, url, body, name, email, notifyReplies, parentId);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Id();
    }

    /// <summary>The background job has read the log up to its end, and the queue holds nothing for this address.</summary>
    async Task HandedOutAsync(string? email = null)
    {
        var last = await app.InDatabaseAsync(db => db.ThreadEvents.MaxAsync(e => (long?)e.Id)) ?? 0;
        await Node.UntilAsync(async () => await app.InDatabaseAsync(async db =>
                (await db.InstanceSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Name == GuestReplyRound.Cursor))?.Value is { } value
                && long.Parse(value) >= last),
            "replies to guests handed out", () => app.Clock.Advance(Leases.Renewal));
        if (email is not null)
        {
            await Node.UntilAsync(() => app.InDatabaseAsync(async db => !await db.Set<QueuedMail>().AnyAsync(m => m.To == email)), $"mail to {email} sent");
        }
    }

    /// <summary>One round run here and now (one the background runs at the same moment may win; then this one does nothing).</summary>
    async Task RoundAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        try
        {
            await scope.ServiceProvider.GetRequiredService<GuestReplyRound>().RunAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
        }
    }

    List<MimeMessage> Confirmations(string email) => [.. app.Mail.To(email).Where(m => (m.Subject ?? "").StartsWith("Confirm reply e-mails", StringComparison.Ordinal))];

    List<MimeMessage> Replies(string email) => [.. app.Mail.To(email).Where(m => m.Headers.Contains("List-Unsubscribe"))];

    Task<GuestSubscription?> SubscriptionAsync(string email) =>
        app.InDatabaseAsync(db => db.Set<GuestSubscription>().AsNoTracking().FirstOrDefaultAsync(s => s.Email == email));

    static string Path(string link) => link["http://localhost".Length..];

    async Task<string> ConfirmationLinkAsync(string email) =>
        Path(MailCatcher.Link(await app.Mail.WaitForAsync(email, "Confirm reply e-mails"), "http://localhost/guest-replies/confirm?token="));

    async Task ConfirmAsync(string email)
    {
        using var anonymous = app.CreateClient();
        using var confirmed = await anonymous.PostAsync(await ConfirmationLinkAsync(email), null);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(GuestSubscription.Confirmed, (await SubscriptionAsync(email))?.State);
    }

    /// <summary>A guest with a confirmed subscription and a comment on a new page: the site, the page, the comment, the address.</summary>
    async Task<(string Site, string Page, long Comment, string Email)> ConfirmedGuestAsync(string? site = null)
    {
        site ??= await app.CreateSiteAsync();
        var page = ApiCalls.NewPageUrl();
        var email = NewAddress();
        var comment = await GuestPostsAsync(site, page, "Which path leads to the old lighthouse?", "Wren Walker", email, notifyReplies: true);
        await ConfirmAsync(email);
        return (site, page, comment, email);
    }

    [Fact]
    public async Task TheConfirmationMailCarriesNothingThePosterWroteAndOnlyAPostConfirms()
    {
        await HandedOutAsync();
        var site = await app.CreateSiteAsync();
        var page = ApiCalls.NewPageUrl() + "/prize-offer";
        var email = NewAddress();
        using (var posted = await PostAsync(site, page, $"Tell me about the {Secret}", "Prize Winner Promo", email, true))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        var message = await app.Mail.WaitForAsync(email, "Confirm reply e-mails");
        foreach (var part in new[] { message.Subject, message.TextBody ?? "", message.HtmlBody ?? "" })
        {
            Assert.DoesNotContain(Secret, part, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Prize", part, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("blog.example", part, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Contains(site, message.Subject);
        Assert.False(message.Headers.Contains("List-Unsubscribe"));

        // A mail scanner opening the link changes nothing; the page offers a button that posts.
        var link = await ConfirmationLinkAsync(email);
        using var anonymous = app.CreateClient();
        using (var shown = await anonymous.GetAsync(link))
        {
            Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
            var html = await shown.Content.ReadAsStringAsync();
            Assert.Contains("<form method=\"post\"", html);
            Assert.DoesNotContain(Secret, html);
        }
        Assert.Equal(GuestSubscription.Pending, (await SubscriptionAsync(email))?.State);

        // A reply while the address is unproven is not mailed, not even once it is confirmed later.
        var question = await app.InDatabaseAsync(db => db.Comments.Where(c => c.Author.Email == email).Select(c => c.Id).SingleAsync());
        await GuestPostsAsync(site, page, "Before you confirmed.", "Early Answerer", null, parentId: question);
        await HandedOutAsync(email);
        app.Clock.Advance(TimeSpan.FromMinutes(1));

        using (var confirmed = await anonymous.PostAsync(link, null))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
            Assert.Contains("Confirmed", await confirmed.Content.ReadAsStringAsync());
        }
        var subscription = await SubscriptionAsync(email);
        Assert.Equal(GuestSubscription.Confirmed, subscription?.State);
        // Only what the mail needs is kept: no name, no comment.
        Assert.Equal(email, subscription!.Email);
        // The log is read again behind the cursor: the early reply is there, and still not mailed.
        await RoundAsync();
        await HandedOutAsync(email);
        Assert.Single(app.Mail.To(email));
    }

    [Fact]
    public async Task AskingAgainWithinADaySendsNothingWhateverTheNameAndNothingOnceConfirmed()
    {
        var site = await app.CreateSiteAsync();
        var email = NewAddress();
        await GuestPostsAsync(site, ApiCalls.NewPageUrl(), "First ask.", "Ana Asker", email, true);
        await GuestPostsAsync(site, ApiCalls.NewPageUrl(), "Second ask.", "Ana Asker", email, true);
        // Another name makes another guest key, but the same inbox: still nothing today.
        await GuestPostsAsync(site, ApiCalls.NewPageUrl(), "Third ask.", "Someone Else", email, true);
        await app.Mail.WaitForAsync(email, "Confirm reply e-mails");
        await HandedOutAsync(email);
        Assert.Single(Confirmations(email));

        // Another site may ask the same address once too.
        var other = await app.CreateSiteAsync();
        await GuestPostsAsync(other, ApiCalls.NewPageUrl(), "Elsewhere.", "Ana Asker", email, true);
        await app.Mail.WaitForAsync(email, "Confirm reply e-mails", alreadySeen: 1);

        // A day later the guest may ask again; once confirmed, asking sends nothing.
        app.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await GuestPostsAsync(site, ApiCalls.NewPageUrl(), "Asking again.", "Ana Asker", email, true);
        await app.Mail.WaitForAsync(email, "Confirm reply e-mails", alreadySeen: 2);
        using (var confirmed = await app.CreateClient().PostAsync(Path(MailCatcher.Link(Confirmations(email)[^1], "http://localhost/guest-replies/confirm?token=")), null))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }
        app.Clock.Advance(TimeSpan.FromDays(2));
        await GuestPostsAsync(site, ApiCalls.NewPageUrl(), "Confirmed already.", "Ana Asker", email, true);
        await HandedOutAsync(email);
        Assert.Equal(3, Confirmations(email).Count);
    }

    [Fact]
    public async Task AReplyIsMailedOnceWithBothPartsAndTheOneClickPostEndsIt()
    {
        await HandedOutAsync();
        var (site, page, question, email) = await ConfirmedGuestAsync();
        var reply = await GuestPostsAsync(site, page, "Follow the **cliff path** & turn at <the stile>.", "Bo Boatman", null, parentId: question);
        // The guest answering in their own thread is not told of it.
        await GuestPostsAsync(site, page, "Thank you!", "Wren Walker", email, parentId: reply);

        await HandedOutAsync(email);
        var message = await app.Mail.WaitForAsync(email, "Bo Boatman replied to your comment");
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
        using var anonymous = app.CreateClient();
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
        Assert.False(await app.InDatabaseAsync(db => db.Set<GuestReplyMail>().AnyAsync(m => m.CommentId == reply)));

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
        var (site, moderator, _) = await app.SiteWithTeamMemberAsync("Mod Ola", SiteRole.Moderator, ModerationMode.Pre);
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
    public async Task AnAlteredOrForeignLinkIsRefusedAndChangesNothing()
    {
        var site = await app.CreateSiteAsync();
        var email = NewAddress();
        var other = NewAddress();
        await GuestPostsAsync(site, ApiCalls.NewPageUrl(), "Mine.", "Tess Tamper", email, true);
        await GuestPostsAsync(site, ApiCalls.NewPageUrl(), "Theirs.", "Olly Other", other, true);
        var link = await ConfirmationLinkAsync(email);
        var token = Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + "token=".Length)..]);
        var parts = token.Split('.');
        var otherId = (await SubscriptionAsync(other))!.Id;
        string[] forged =
        [
            // Another subscription's id under this one's hash.
            $"{otherId}.{parts[1]}.{parts[2]}",
            // A later expiry.
            $"{parts[0]}.{long.Parse(parts[1]) + 86400}.{parts[2]}",
            // The hash changed.
            $"{parts[0]}.{parts[1]}.{parts[2][..^1]}{(parts[2][^1] == 'A' ? 'B' : 'A')}",
            "", "not-a-token", "1.2", token + ".extra",
        ];
        using var anonymous = app.CreateClient();
        foreach (var bad in forged)
        {
            foreach (var path in new[] { "/guest-replies/confirm", "/guest-replies/stop" })
            {
                using var shown = await anonymous.GetAsync($"{path}?token={Uri.EscapeDataString(bad)}");
                Assert.Equal(HttpStatusCode.BadRequest, shown.StatusCode);
                using var posted = await anonymous.PostAsync($"{path}?token={Uri.EscapeDataString(bad)}", null);
                Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
                Assert.Contains("Nothing was changed", await posted.Content.ReadAsStringAsync());
            }
        }
        // A confirmation link does not end anything, and is refused as a stop link.
        using (var asStop = await anonymous.PostAsync($"/guest-replies/stop?token={Uri.EscapeDataString(token)}", null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, asStop.StatusCode);
        }
        Assert.Equal(GuestSubscription.Pending, (await SubscriptionAsync(email))?.State);
        Assert.Equal(GuestSubscription.Pending, (await SubscriptionAsync(other))?.State);

        // An expired link confirms nothing either.
        app.Clock.Advance(GuestReplyTokens.ConfirmLifetime + TimeSpan.FromMinutes(1));
        using (var late = await anonymous.PostAsync(link, null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        }
        Assert.NotEqual(GuestSubscription.Confirmed, (await SubscriptionAsync(email))?.State);
    }

    [Fact]
    public async Task NotifyRepliesWithoutAnAddressIsRefusedAndStoresNothing()
    {
        var site = await app.CreateSiteAsync();
        var page = ApiCalls.NewPageUrl();
        using (var refused = await PostAsync(site, page, "Tell me when someone answers.", "No Address", null, true))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await refused.ProblemAsync();
            Assert.True(problem.GetProperty("errors").TryGetProperty("notifyReplies", out _), problem.ToString());
        }
        using (var refused = await PostAsync(site, page, "Tell me when someone answers.", "Bad Address", "not-an-address", true))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        using (var malformed = await _client.PostCommentAsync(site, new { url = page, body = "Hello", author = new { name = "Odd" }, notifyReplies = "yes please" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        }
        Assert.Equal(0, (await _client.ThreadAsync(site, page)).GetProperty("thread").GetProperty("commentCount").GetInt32());
        // A person signed in has their own e-mail choices: the field is ignored, and nothing is asked.
        var secret = await app.EnableSsoAsync(site);
        var member = await _client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: "member-notify", name: "Mia Member")));
        using (var posted = await _client.PostAsMemberAsync(site, member, new { url = page, body = "Signed in, asking anyway.", notifyReplies = true }))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }
        Assert.False(await app.InDatabaseAsync(db => db.Set<GuestSubscription>().AnyAsync(s => db.Sites.Any(x => x.Id == s.SiteId && x.Name == site))));
        // Without the field, or with false, nothing is asked.
        var email = NewAddress();
        await GuestPostsAsync(site, page, "Just a comment.", "Quiet Guest", email, false);
        await GuestPostsAsync(site, page, "Another comment.", "Quiet Guest", email);
        Assert.Null(await SubscriptionAsync(email));
        Assert.Empty(app.Mail.To(email));
    }

    [Fact]
    public async Task ACommentKeptFromViewAsksForNothing()
    {
        var site = await app.CreateSiteAsync();
        await app.InDatabaseAsync(async db =>
        {
            var entity = await db.Sites.SingleAsync(s => s.Name == site);
            entity.BannedWords = ["casino"];
            return await db.SaveChangesAsync();
        });
        app.Services.GetRequiredService<SiteDirectory>().Forget(site);
        var email = NewAddress();
        await GuestPostsAsync(site, ApiCalls.NewPageUrl(), "Best casino bonus, write to this address.", "Spam Run", email, true);
        Assert.Null(await SubscriptionAsync(email));
        await HandedOutAsync(email);
        Assert.Empty(app.Mail.To(email));
    }

    [Fact]
    public async Task ARoundThatDiesBeforeCommittingQueuesNothingAndTwoAtOnceMailOnce()
    {
        await HandedOutAsync();
        var (site, page, question, email) = await ConfirmedGuestAsync();
        var reply = await GuestPostsAsync(site, page, "Take the lower path.", "Lo Lantern", null, parentId: question);
        var cursor = await app.InDatabaseAsync(db => db.InstanceSettings.Where(s => s.Name == GuestReplyRound.Cursor).Select(s => s.Value).SingleAsync());

        // The round queues the message, records it and moves its cursor, then dies before its commit: none of it stays.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var round = scope.ServiceProvider.GetRequiredService<GuestReplyRound>();
            await Assert.ThrowsAsync<IOException>(() => round.RunAsync(CancellationToken.None, () => throw new IOException("the node stopped")));
        }
        Assert.Equal(0, await app.InDatabaseAsync(db => db.Set<QueuedMail>().CountAsync(m => m.To == email)));
        Assert.False(await app.InDatabaseAsync(db => db.Set<GuestReplyMail>().AnyAsync(m => m.CommentId == reply)));
        Assert.Equal(cursor, await app.InDatabaseAsync(db => db.InstanceSettings.Where(s => s.Name == GuestReplyRound.Cursor).Select(s => s.Value).SingleAsync()));

        // Two rounds at once (a lease that changed hands): one message.
        async Task<bool> TryRoundAsync()
        {
            await using var scope = app.Services.CreateAsyncScope();
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
        await app.Mail.WaitForAsync(email, "Lo Lantern");
        await RoundAsync();
        await HandedOutAsync(email);
        Assert.Single(Replies(email));
        Assert.True(await app.InDatabaseAsync(db => db.Set<GuestReplyMail>().AnyAsync(m => m.CommentId == reply)));
    }

    [Fact]
    public async Task AnAccountClaimingTheGuestsCommentsEndsTheGuestsSubscription()
    {
        var (browser, email) = await app.SignedInAsync("Wren Member", "lanterns over the harbour");
        var site = await app.CreateSiteAsync();
        var page = ApiCalls.NewPageUrl();
        await GuestPostsAsync(site, page, "Written before I had an account.", "Wren Guest", email, true);
        await ConfirmAsync(email);

        using (var claimed = await browser.SubmitAsync("/account/claim", "/account/claim", ("email", email)))
        {
            Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
            Assert.Contains("now belong to your profile", await claimed.Content.ReadAsStringAsync());
        }
        Assert.Null(await SubscriptionAsync(email));
    }
}
