using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Tests.Accounts;
using Hearth.Tests.Notifications;

namespace Hearth.Tests.Identity;

/// <summary>Someone a site signs in links that identity to their Hearth account, with both proofs, and is one person from then on.</summary>
public class SsoLinkTests(AccountsApp app) : InboxTestBase(app), IClassFixture<AccountsApp>
{
    async Task<HttpResponseMessage> AskForLinkAsync(string site, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/sessions/link");
        request.Headers.Authorization = new("Bearer", token);
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

        var (browser, _) = await MemberAsync("Dana Account");
        using var asked = await AskForLinkAsync(shop, ssoToken);
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        var url = (await asked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
        var code = Uri.UnescapeDataString(url[(url.IndexOf("code=", StringComparison.Ordinal) + 5)..]);
        var confirm = await browser.GetAsync(url);
        Assert.Contains("Dana From The Shop", confirm);
        Assert.Contains("Link them", confirm);
        using (var linked = await browser.SubmitAsync(url, "/account/link", ("code", code)))
        {
            Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
            Assert.Contains("Linked.", await linked.Content.ReadAsStringAsync());
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

        // The code was for one linking: it cannot link again, nor anyone else's account.
        var (stranger, _) = await MemberAsync("Sly Stranger");
        using var reused = await stranger.SubmitAsync("/account/inbox", "/account/link", ("code", code));
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        Assert.Contains("already linked, or no longer exists", await reused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OnlyASiteIdentityAsksAndOnlyAGenuineCodeLinks()
    {
        var shop = await App.CreateSiteAsync();
        var (browser, tokens) = await MemberAsync("Ada Already", shop);
        using (var account = await AskForLinkAsync(shop, tokens[shop]))
        {
            Assert.Equal(HttpStatusCode.Conflict, account.StatusCode);
            Assert.Equal("not_a_site_identity", (await account.ProblemAsync()).GetProperty("code").GetString());
        }
        var page = await browser.GetAsync("/account/link?code=made-up");
        Assert.Contains("This link has expired or is not one Hearth made", page);
        using var signedOut = await App.NewBrowser().Client.GetAsync("/account/link?code=x");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.StartsWith("/account/signin", signedOut.Headers.Location!.OriginalString);
    }
}
