using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Tests.Accounts;
using Microsoft.EntityFrameworkCore;
using Hearth.Tests.Notifications;

namespace Hearth.Tests.Identity;

/// <summary>
/// Someone a site signs in links that identity to their Hearth account, with both sessions in hand at once (the
/// site's, and the account's from the widget's sign-in window), and is one person from then on.
/// </summary>
public class SsoLinkTests(AccountsApp app) : InboxTestBase(app), IClassFixture<AccountsApp>
{
    async Task<HttpResponseMessage> LinkAsync(string site, string siteToken, string? accountToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/sessions/link") { Content = JsonContent.Create(new { accountToken }) };
        request.Headers.Authorization = new("Bearer", siteToken);
        return await _client.SendAsync(request);
    }

    [Fact]
    public async Task ALinkedSiteIdentityBecomesTheAccountWithItsCommentsAndItsInbox()
    {
        var shop = await App.CreateSiteAsync();
        var secret = await App.EnableSsoAsync(shop);
        string SiteToken() => SsoTokens.Sign(secret, SsoTokens.Claims(App, shop, sub: "customer-77", name: "Dana From The Shop"));
        var ssoToken = await _client.AccessTokenAsync(shop, SiteToken());
        var page = ApiCalls.NewPageUrl();
        var hers = await PostAsMemberAsync(shop, ssoToken, page, "Does the linen shirt shrink in the wash?");
        var reply = (await _client.CommentAsync(shop, page, "A little, wash it cold.", hers, "Guest Gwen")).Id();
        Assert.Equal([reply], CommentIds(await InboxAsync(shop, ssoToken)));

        var (browser, account) = await MemberAsync("Dana Account", shop);
        using (var linked = await LinkAsync(shop, ssoToken, account[shop]))
        {
            Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
        }

        // The site's old session ended; its next sign-in opens the account, whose name the site does not overwrite.
        using (var old = await InboxCallAsync(shop, ssoToken, HttpMethod.Get))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        }
        var again = await _client.AccessTokenAsync(shop, SiteToken());
        var later = await PostAsMemberAsync(shop, again, page, "Thanks, cold it is.");
        var thread = await _client.ThreadAsync(shop, page);
        var names = thread.GetProperty("comments").EnumerateArray().ToDictionary(c => c.Id(), c => c.GetProperty("author").GetProperty("name").GetString());
        Assert.Equal("Dana Account", names[later]);
        Assert.Equal("Dana Account", names[hers]);
        Assert.Equal([reply], CommentIds(await InboxAsync(shop, again)));
        Assert.Contains("wash it cold", await browser.GetAsync("/account/inbox"));

        // Linked once: the same sign-in cannot be linked to another account.
        var (_, stranger) = await MemberAsync("Sly Stranger", shop);
        using var relinked = await LinkAsync(shop, again, stranger[shop]);
        Assert.Equal(HttpStatusCode.Conflict, relinked.StatusCode);
        Assert.Equal("not_a_site_identity", (await relinked.ProblemAsync()).GetProperty("code").GetString());

        // The shop is removed: the identity it made goes with it, linked or not; the account is the person's and stays.
        var (identities, accounts) = await App.InDatabaseAsync(async db =>
        {
            var shopId = await db.Sites.Where(s => s.Name == shop).Select(s => s.Id).SingleAsync();
            await Hearth.Sites.SiteRemoval.RemoveAsync(db, await db.Sites.SingleAsync(s => s.Id == shopId), default);
            return (await db.Users.CountAsync(u => u.SsoSiteId == shopId), await db.Users.CountAsync(u => u.DisplayName == "Dana Account"));
        });
        Assert.Equal((0, 1), (identities, accounts));
        Assert.Contains("Dana Account", await browser.GetAsync("/account/profile"));
    }

    [Fact]
    public async Task LinkingTakesTheSitesOwnSignInAndTheAccountsOwnTokenForThisSite()
    {
        var shop = await App.CreateSiteAsync();
        var other = await App.CreateSiteAsync();
        var secret = await App.EnableSsoAsync(shop);
        var ssoToken = await _client.AccessTokenAsync(shop, SsoTokens.Sign(secret, SsoTokens.Claims(App, shop, sub: "customer-88", name: "Eli Shopper")));
        var secondSso = await _client.AccessTokenAsync(shop, SsoTokens.Sign(secret, SsoTokens.Claims(App, shop, sub: "customer-89", name: "Fay Shopper")));
        var (_, account) = await MemberAsync("Eli Account", shop, other);

        // An account cannot pose as a site's sign-in, nor a site's sign-in as an account.
        using (var asAccount = await LinkAsync(shop, account[shop], account[shop]))
        {
            Assert.Equal(HttpStatusCode.Conflict, asAccount.StatusCode);
        }
        using (var siteForAccount = await LinkAsync(shop, ssoToken, secondSso))
        {
            Assert.Equal(HttpStatusCode.Forbidden, siteForAccount.StatusCode);
        }
        // The account's token for another site is not its word here.
        using (var otherSite = await LinkAsync(shop, ssoToken, account[other]))
        {
            Assert.Equal(HttpStatusCode.Forbidden, otherSite.StatusCode);
        }
        using (var missing = await LinkAsync(shop, ssoToken, null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
            await missing.ProblemAsync();
        }
        using (var madeUp = await LinkAsync(shop, ssoToken, "hat_not-a-real-token"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, madeUp.StatusCode);
        }
        // Nothing of that linked anything: the site's sign-in still opens its own identity.
        Assert.Empty(CommentIds(await InboxAsync(shop, ssoToken)));
    }

    [Fact]
    public async Task WhatBothTheIdentityAndTheAccountWereToldOfIsInTheLinkedInboxOnce()
    {
        var shop = await App.CreateSiteAsync();
        var secret = await App.EnableSsoAsync(shop);
        var ssoToken = await _client.AccessTokenAsync(shop, SsoTokens.Sign(secret, SsoTokens.Claims(App, shop, sub: "customer-90", name: "Gil From The Shop")));
        var (_, account) = await MemberAsync("Gil Account", shop);
        await HandOutAsync();

        // Both wrote in the same conversation, so both follow it; a third person's comment there is news to both.
        var page = ApiCalls.NewPageUrl();
        await PostAsMemberAsync(shop, ssoToken, page, "Is the blue one back in stock?");
        await PostAsMemberAsync(shop, account[shop], page, "I would like to know too.");
        var news = (await _client.CommentAsync(shop, page, "It is, since this morning.", name: "Shop Assistant")).Id();
        await HandOutAsync();
        var accounts = (await _client.ThreadAsync(shop, page)).GetProperty("comments").EnumerateArray()
            .Single(c => c.GetProperty("author").GetProperty("name").GetString() == "Gil Account").Id();
        Assert.Equal([news, accounts], CommentIds(await InboxAsync(shop, ssoToken, "?kind=followed")));
        Assert.Equal([news], CommentIds(await InboxAsync(shop, account[shop], "?kind=followed")));

        using (var linked = await LinkAsync(shop, ssoToken, account[shop]))
        {
            Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
        }
        // Once, and nothing of the account's own comment, which the identity had been told of.
        var inbox = await InboxAsync(shop, account[shop]);
        Assert.Equal([news], CommentIds(inbox));
        Assert.Equal(1, inbox.GetProperty("unread").GetInt32());
    }

    /// <summary>Hands new comments of followed conversations out until caught up, as the background round does.</summary>
    async Task HandOutAsync()
    {
        while (await App.InDatabaseAsync(db => Hearth.Notifications.FollowedThreadsNotifier.HandOutAsync(db, App.Clock.GetUtcNow().UtcDateTime,
            TimeSpan.FromDays(180), CancellationToken.None)))
        {
        }
    }
}
