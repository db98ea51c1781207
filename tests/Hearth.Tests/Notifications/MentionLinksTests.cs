using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Tests.Accounts;
using Hearth.Tests.Identity;
using Hearth.Tests.Live;
using Hearth.Tests.ManyNodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Notifications;

/// <summary>"@Name" in a published comment, shown as a link to the profile of the person it reached, only while that holds.</summary>
public class MentionLinksTests(AccountsApp app) : InboxTestBase(app), IClassFixture<AccountsApp>
{
    string ProfileLink(long userId) => App.Services.GetRequiredService<Hearth.Mail.PublicAddress>().Link($"/people/{userId}");

    Task<long> UserIdAsync(string email) => App.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    /// <summary>The comment's HTML as a thread page shows it.</summary>
    async Task<string> ShownAsync(string site, string url, long id)
    {
        var thread = await _client.ThreadAsync(site, url);
        return thread.GetProperty("comments").EnumerateArray().Single(c => c.Id() == id).GetProperty("html").GetString()!;
    }

    async Task<JsonElement> GuestPostAsync(string site, string url, string body) => await _client.CommentAsync(site, url, body, name: "Guest Gil");

    [Fact]
    public async Task AMentionOfSomeoneWithAProfileLinksToItOnTheThreadItsPlainPageAndTheLiveStream()
    {
        var site = await App.CreateSiteAsync();
        var (_, email, ada) = await MemberWithAddressAsync("Ada Lovelace", site);
        var page = ApiCalls.NewPageUrl();
        await PostAsMemberAsync(site, ada[site], page, "The lighthouse opens to visitors at ten.");
        var (stream, live) = await TwoNodes.OpenAsync(_client, site, page);
        using var opened = stream;
        using var reading = live;

        var mention = (await GuestPostAsync(site, page,
            "Thanks @AdaLovelace. Not `@AdaLovelace` in code, nor [@AdaLovelace](https://example.com/ada), nor @Stranger.")).Id();

        var link = $"<a href=\"{ProfileLink(await UserIdAsync(email))}\" rel=\"nofollow ugc noopener\">@AdaLovelace</a>";
        var html = await ShownAsync(site, page, mention);
        Assert.Equal($"<p>Thanks {link}. Not <code>@AdaLovelace</code> in code, nor <a href=\"https://example.com/ada\" rel=\"nofollow ugc noopener\">@AdaLovelace</a>, nor @Stranger.</p>", html);
        // Stored as written: the link is made when the comment is shown.
        Assert.DoesNotContain("/people/", await App.InDatabaseAsync(db => db.Comments.Where(c => c.Id == mention).Select(c => c.Html).SingleAsync()));
        Assert.Contains(link, await _client.GetStringAsync($"/embed/{site}/thread?url={Uri.EscapeDataString(page)}"));
        var arrived = await live.NextChangeAsync();
        Assert.Equal("comment.created", arrived.Type);
        Assert.Equal(html, JsonDocument.Parse(arrived.Data).RootElement.GetProperty("html").GetString());
    }

    [Fact]
    public async Task ANameWrittenManyTimesLinksOnlyWhereItIsFirstWritten()
    {
        var site = await App.CreateSiteAsync();
        var (_, email, ada) = await MemberWithAddressAsync("Ada Lovelace", site);
        var page = ApiCalls.NewPageUrl();
        await PostAsMemberAsync(site, ada[site], page, "The lighthouse opens to visitors at ten.");
        var body = "**Dear @AdaLovelace**, " + string.Concat(Enumerable.Repeat("@AdaLovelace ", 500));

        var mention = (await GuestPostAsync(site, page, body)).Id();

        var html = await ShownAsync(site, page, mention);
        var link = $"<a href=\"{ProfileLink(await UserIdAsync(email))}\" rel=\"nofollow ugc noopener\">@AdaLovelace</a>";
        // In reading order: the first is inside the bold words, and the 500 after it stay words.
        Assert.StartsWith($"<p><strong>Dear {link}</strong>, @AdaLovelace @AdaLovelace", html);
        Assert.Equal(1, html.Split("<a ").Length - 1);
    }

    [Fact]
    public async Task SomeoneWithoutAPublicProfileIsEmphasisedAndLinkedNowhere()
    {
        var site = await App.CreateSiteAsync();
        var secret = await App.EnableSsoAsync(site);
        var sam = await _client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(App, site, sub: "shop-sam", name: "Sam Shop")));
        var page = ApiCalls.NewPageUrl();
        var sams = await PostAsMemberAsync(site, sam, page, "The blue kettle is back in stock.");
        var samId = await App.InDatabaseAsync(db => db.Comments.Where(c => c.Id == sams).Select(c => c.Author.UserId!.Value).SingleAsync());

        var mention = (await GuestPostAsync(site, page, "Good news, @samshop!")).Id();

        Assert.Equal("<p>Good news, <em>@samshop</em>!</p>", await ShownAsync(site, page, mention));
        // The same rule as the profile page's: someone a site signs in has none.
        using var profile = await _client.GetAsync($"/people/{samId}");
        Assert.Equal(HttpStatusCode.NotFound, profile.StatusCode);
    }

    [Fact]
    public async Task ANameTwoPeopleOfTheConversationShareIsEmphasisedAndLinksNeither()
    {
        var site = await App.CreateSiteAsync();
        var (_, one) = await MemberAsync("Kim Lee", site);
        var (_, other) = await MemberAsync("Kim Lee", site);
        var page = ApiCalls.NewPageUrl();
        await PostAsMemberAsync(site, one[site], page, "The pool closes early on Fridays.");
        await PostAsMemberAsync(site, other[site], page, "Only in winter, I think.");

        var mention = (await GuestPostAsync(site, page, "Which of you, @KimLee?")).Id();

        Assert.Equal("<p>Which of you, <em>@KimLee</em>?</p>", await ShownAsync(site, page, mention));
    }

    [Fact]
    public async Task AnEditLinksWhomTheNewWordsNameAndNoLongerWhomTheyDropped()
    {
        var site = await App.CreateSiteAsync();
        var (_, adaEmail, ada) = await MemberWithAddressAsync("Ada Lovelace", site);
        var (_, calEmail, cal) = await MemberWithAddressAsync("Cal Named", site);
        var page = ApiCalls.NewPageUrl();
        await PostAsMemberAsync(site, ada[site], page, "Low tide is at four today.");
        await PostAsMemberAsync(site, cal[site], page, "The causeway opens an hour before.");
        var created = await GuestPostAsync(site, page, "Noted, @AdaLovelace.");
        Assert.Contains(ProfileLink(await UserIdAsync(adaEmail)), await ShownAsync(site, page, created.Id()));

        using var edit = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/sites/{site}/comments/{created.Id()}")
        {
            Content = JsonContent.Create(new { body = "Noted, @CalNamed." }),
        };
        edit.Headers.Add("X-Edit-Token", created.GetProperty("editToken").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(edit)).StatusCode);

        var html = await ShownAsync(site, page, created.Id());
        Assert.Contains($"<a href=\"{ProfileLink(await UserIdAsync(calEmail))}\" rel=\"nofollow ugc noopener\">@CalNamed</a>", html);
        Assert.DoesNotContain(ProfileLink(await UserIdAsync(adaEmail)), html);
    }

    [Fact]
    public async Task AMentionKeepsToThePersonItReachedWhenTheyOrOthersAreRenamed()
    {
        var site = await App.CreateSiteAsync();
        var (adaBrowser, adaEmail, ada) = await MemberWithAddressAsync("Ada Lovelace", site);
        var (eveBrowser, eveEmail, eve) = await MemberWithAddressAsync("Eve Other", site);
        var page = ApiCalls.NewPageUrl();
        await PostAsMemberAsync(site, ada[site], page, "The night market starts at six.");
        await PostAsMemberAsync(site, eve[site], page, "Bring cash, most stalls take nothing else.");
        var mention = (await GuestPostAsync(site, page, "Thanks @AdaLovelace!")).Id();
        var link = $"<a href=\"{ProfileLink(await UserIdAsync(adaEmail))}\" rel=\"nofollow ugc noopener\">@AdaLovelace</a>";
        Assert.Contains(link, await ShownAsync(site, page, mention));

        // Ada takes another name; then someone else of the conversation takes hers. The mention meant Ada.
        using (await adaBrowser.SubmitAsync("/account/profile", "/account/profile", ("name", "Ada King"), ("website", ""), ("bio", ""))) { }
        using (await eveBrowser.SubmitAsync("/account/profile", "/account/profile", ("name", "Ada Lovelace"), ("website", ""), ("bio", ""))) { }
        var html = await ShownAsync(site, page, mention);
        Assert.Contains(link, html);
        Assert.DoesNotContain(ProfileLink(await UserIdAsync(eveEmail)), html);
    }

    [Fact]
    public async Task ADeletedAccountIsMentionedAsPlainTextAtOnceEvenOnAPageItNoLongerWroteOn()
    {
        var site = await App.CreateSiteAsync();
        var (adaBrowser, adaEmail, ada) = await MemberWithAddressAsync("Ada Leaving", site);
        var page = ApiCalls.NewPageUrl();
        using var posted = await _client.PostAsMemberAsync(site, ada[site], new { url = page, body = "Where is the lost and found?" });
        var adas = await posted.Content.ReadFromJsonAsync<JsonElement>();
        var mention = (await GuestPostAsync(site, page, "By the ticket office, @AdaLeaving.")).Id();
        // Ada takes her own question back: the page no longer holds anything of hers but the mention.
        using (var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/sites/{site}/comments/{adas.Id()}"))
        {
            delete.Headers.Add("X-Edit-Token", adas.GetProperty("editToken").GetString());
            Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(delete)).StatusCode);
        }
        var profile = ProfileLink(await UserIdAsync(adaEmail));
        Assert.Contains(profile, await ShownAsync(site, page, mention));
        Assert.Contains(profile, await ShownAsync(site, page, mention)); // now from the page cache

        using (var deleted = await adaBrowser.SubmitAsync("/account/delete", "/account/delete", ("comments", "keep"), ("password", Password)))
        {
            Assert.Contains("Your account is deleted", await deleted.Content.ReadAsStringAsync());
        }

        Assert.Equal("<p>By the ticket office, @AdaLeaving.</p>", await ShownAsync(site, page, mention));
        Assert.Equal(0, await App.InDatabaseAsync(db => db.CommentMentions.CountAsync(m => m.CommentId == mention)));
    }
}
