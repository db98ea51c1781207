using System.Net;
using System.Net.Http.Json;
using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Tests.Accounts;
using Hearth.Tests.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Identity;

/// <summary>
/// Linking a site's sign-in that wrote more comments than one turn takes: they become the account's in turns, each a
/// transaction of its own, before the link itself; every one ends the account's, counted once on its person.
/// </summary>
public sealed class SsoLinkTurnsTests(CountedCommitsAccountsApp app) : InboxTestBase(app), IClassFixture<CountedCommitsAccountsApp>
{
    [Fact]
    public async Task AnIdentityWithThousandsOfCommentsIsLinkedInTurnsAndCountedOnce()
    {
        var shop = await App.CreateSiteAsync();
        var secret = await App.EnableSsoAsync(shop);
        var ssoToken = await _client.AccessTokenAsync(shop, SsoTokens.Sign(secret, SsoTokens.Claims(App, shop, sub: "customer-1030", name: "Busy Buyer")));
        var first = await PostAsMemberAsync(shop, ssoToken, ApiCalls.NewPageUrl(), "Is this in stock again?");
        var total = 2 * SsoLinks.PerTurn + 30;
        await WrittenAgain.UpToAsync(App, first, total, "And again, is it in stock?");
        var (_, account) = await MemberAsync("Buyer Account", shop);
        var accountId = await App.InDatabaseAsync(db => db.Users.Where(u => u.DisplayName == "Buyer Account").Select(u => u.Id).SingleAsync());

        app.Commits.Start();
        using var linked = await LinkAsync(shop, ssoToken, account[shop]);
        var commits = app.Commits.Stop();
        Assert.Equal(HttpStatusCode.OK, linked.StatusCode);

        // Three turns of comments, the empty one that finds none left, and the link; one transaction would be 1 (the
        // upper bound leaves room for background work that commits meanwhile).
        Assert.InRange(commits, 5, 15);
        await App.InDatabaseAsync(async db =>
        {
            Assert.Equal(total, await db.Comments.CountAsync(c => c.Author.UserId == accountId && c.Author.Name == "Buyer Account"));
            var person = await db.People.AsNoTracking().SingleAsync(p => p.UserId == accountId);
            Assert.Equal((total, total), (person.Comments, person.Approved));
            Assert.Equal(person.Id, await db.People.Where(p => p.Name == "Busy Buyer").Select(p => p.MergedIntoId).SingleAsync());
            return 0;
        });
    }

    [Fact]
    public async Task ALinkCutShortAfterItsFirstTurnLeavesTheSignInAsItWasAndLinkingAgainFinishes()
    {
        var shop = await App.CreateSiteAsync();
        var secret = await App.EnableSsoAsync(shop);
        var ssoToken = await _client.AccessTokenAsync(shop, SsoTokens.Sign(secret, SsoTokens.Claims(App, shop, sub: "customer-530", name: "Halted Buyer")));
        var first = await PostAsMemberAsync(shop, ssoToken, ApiCalls.NewPageUrl(), "Does it come in blue?");
        var total = SsoLinks.PerTurn + 30;
        await WrittenAgain.UpToAsync(App, first, total, "And in green?");
        var (_, account) = await MemberAsync("Halted Account", shop);
        var accountId = await App.InDatabaseAsync(db => db.Users.Where(u => u.DisplayName == "Halted Account").Select(u => u.Id).SingleAsync());

        // The second turn's look-up of the identity's comments left never returns: the first turn has committed.
        app.Stop.At(sql => sql.Contains("\"Author_UserId\"", StringComparison.Ordinal) && sql.Contains("\"SiteId\"", StringComparison.Ordinal)
            && sql.Contains("after", StringComparison.Ordinal), execution: 2);
        try
        {
            using var cut = await LinkAsync(shop, ssoToken, account[shop]);
            Assert.Equal(HttpStatusCode.InternalServerError, cut.StatusCode);
        }
        catch (InvalidOperationException e) when (e.Message == "The server stopped here.")
        {
        }
        // The site's sign-in is still the identity's, whose session still works; the first turn's comments are the account's.
        Assert.Equal(SsoLinks.PerTurn, await App.InDatabaseAsync(db => db.Comments.CountAsync(c => c.Author.UserId == accountId)));
        Assert.Equal(HttpStatusCode.Created, (await PostRawAsync(shop, ssoToken)).StatusCode);

        using (var linked = await LinkAsync(shop, ssoToken, account[shop]))
        {
            Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
        }
        await App.InDatabaseAsync(async db =>
        {
            Assert.Equal(total + 1, await db.Comments.CountAsync(c => c.Author.UserId == accountId));
            var person = await db.People.AsNoTracking().SingleAsync(p => p.UserId == accountId);
            Assert.Equal(total + 1, person.Comments);
            return 0;
        });
    }

    async Task<HttpResponseMessage> LinkAsync(string site, string siteToken, string accountToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/sessions/link") { Content = JsonContent.Create(new { accountToken }) };
        request.Headers.Authorization = new("Bearer", siteToken);
        return await _client.SendAsync(request);
    }

    Task<HttpResponseMessage> PostRawAsync(string site, string token) =>
        _client.PostAsMemberAsync(site, token, new { url = ApiCalls.NewPageUrl(), body = "Posted between the two tries." });
}
