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
/// README, "Replies by e-mail for guests": a guest who left an address asks with <c>notifyReplies</c> and confirms by a
/// link (a page with a button, so opening changes nothing); the message carries none of the poster's words, goes once
/// a day at most, and a forged link changes nothing.
/// </summary>
public class GuestReplyConfirmationTests(AccountsApp app) : GuestReplyTestBase(app), IClassFixture<AccountsApp>
{
    const string Secret = "lighthouse keeper's cat";

    [Fact]
    public async Task TheConfirmationMailCarriesNothingThePosterWroteAndOnlyAPostConfirms()
    {
        await HandedOutAsync();
        var site = await App.CreateSiteAsync();
        var page = ApiCalls.NewPageUrl() + "/prize-offer";
        var email = NewAddress();
        using (var posted = await PostAsync(site, page, $"Tell me about the {Secret}", "Prize Winner Promo", email, true))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        var message = await App.Mail.WaitForAsync(email, "Confirm reply e-mails");
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
        using var anonymous = App.CreateClient();
        using (var shown = await anonymous.GetAsync(link))
        {
            Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
            var html = await shown.Content.ReadAsStringAsync();
            Assert.Contains("<form method=\"post\"", html);
            Assert.DoesNotContain(Secret, html);
        }
        Assert.Equal(GuestSubscription.Pending, (await SubscriptionAsync(email))?.State);

        // A reply while the address is unproven is not mailed, not even once it is confirmed later.
        var question = await App.InDatabaseAsync(db => db.Comments.Where(c => c.Author.Email == email).Select(c => c.Id).SingleAsync());
        await GuestPostsAsync(site, page, "Before you confirmed.", "Early Answerer", null, parentId: question);
        await HandedOutAsync(email);
        App.Clock.Advance(TimeSpan.FromMinutes(1));

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
        Assert.Single(App.Mail.To(email));
    }

    [Fact]
    public async Task AskingAgainWithinADaySendsNothingWhateverTheNameAndNothingOnceConfirmed()
    {
        var site = await App.CreateSiteAsync();
        var email = NewAddress();
        await GuestPostsAsync(site, ApiCalls.NewPageUrl(), "First ask.", "Ana Asker", email, true);
        await GuestPostsAsync(site, ApiCalls.NewPageUrl(), "Second ask.", "Ana Asker", email, true);
        // Another name makes another guest key, but the same inbox: still nothing today.
        await GuestPostsAsync(site, ApiCalls.NewPageUrl(), "Third ask.", "Someone Else", email, true);
        await App.Mail.WaitForAsync(email, "Confirm reply e-mails");
        await HandedOutAsync(email);
        Assert.Single(Confirmations(email));

        // Another site may ask the same address once too.
        var other = await App.CreateSiteAsync();
        await GuestPostsAsync(other, ApiCalls.NewPageUrl(), "Elsewhere.", "Ana Asker", email, true);
        await App.Mail.WaitForAsync(email, "Confirm reply e-mails", alreadySeen: 1);

        // A day later the guest may ask again; once confirmed, asking sends nothing.
        App.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await GuestPostsAsync(site, ApiCalls.NewPageUrl(), "Asking again.", "Ana Asker", email, true);
        await App.Mail.WaitForAsync(email, "Confirm reply e-mails", alreadySeen: 2);
        using (var confirmed = await App.CreateClient().PostAsync(Path(MailCatcher.Link(Confirmations(email)[^1], "http://localhost/guest-replies/confirm?token=")), null))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }
        App.Clock.Advance(TimeSpan.FromDays(2));
        await GuestPostsAsync(site, ApiCalls.NewPageUrl(), "Confirmed already.", "Ana Asker", email, true);
        await HandedOutAsync(email);
        Assert.Equal(3, Confirmations(email).Count);
    }

    [Fact]
    public async Task AnAlteredOrForeignLinkIsRefusedAndChangesNothing()
    {
        var site = await App.CreateSiteAsync();
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
        using var anonymous = App.CreateClient();
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
        App.Clock.Advance(GuestReplyTokens.ConfirmLifetime + TimeSpan.FromMinutes(1));
        using (var late = await anonymous.PostAsync(link, null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        }
        Assert.NotEqual(GuestSubscription.Confirmed, (await SubscriptionAsync(email))?.State);
    }

    [Fact]
    public async Task NotifyRepliesWithoutAnAddressIsRefusedAndStoresNothing()
    {
        var site = await App.CreateSiteAsync();
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
        var secret = await App.EnableSsoAsync(site);
        var member = await _client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(App, site, sub: "member-notify", name: "Mia Member")));
        using (var posted = await _client.PostAsMemberAsync(site, member, new { url = page, body = "Signed in, asking anyway.", notifyReplies = true }))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }
        Assert.False(await App.InDatabaseAsync(db => db.Set<GuestSubscription>().AnyAsync(s => db.Sites.Any(x => x.Id == s.SiteId && x.Name == site))));
        // Without the field, or with false, nothing is asked.
        var email = NewAddress();
        await GuestPostsAsync(site, page, "Just a comment.", "Quiet Guest", email, false);
        await GuestPostsAsync(site, page, "Another comment.", "Quiet Guest", email);
        Assert.Null(await SubscriptionAsync(email));
        Assert.Empty(App.Mail.To(email));
    }

    [Fact]
    public async Task ACommentKeptFromViewAsksForNothing()
    {
        var site = await App.CreateSiteAsync();
        await App.InDatabaseAsync(async db =>
        {
            var entity = await db.Sites.SingleAsync(s => s.Name == site);
            entity.BannedWords = ["casino"];
            return await db.SaveChangesAsync();
        });
        App.Services.GetRequiredService<SiteDirectory>().Forget(site);
        var email = NewAddress();
        await GuestPostsAsync(site, ApiCalls.NewPageUrl(), "Best casino bonus, write to this address.", "Spam Run", email, true);
        Assert.Null(await SubscriptionAsync(email));
        await HandedOutAsync(email);
        Assert.Empty(App.Mail.To(email));
    }

    [Fact]
    public async Task AnAccountClaimingTheGuestsCommentsEndsTheGuestsSubscription()
    {
        var (browser, email) = await App.SignedInAsync("Wren Member", "lanterns over the harbour");
        var site = await App.CreateSiteAsync();
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
