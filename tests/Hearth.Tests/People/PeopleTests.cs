using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Identity;
using Hearth.People;
using Hearth.Tests.Accounts;
using Hearth.Tests.Identity;
using Hearth.Tests.Moderation;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.People;

/// <summary>Everyone who comments becomes one person of the site, whatever they comment as, and stays counted right.</summary>
public class PeopleTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "river path at dawn";
    const string Origin = "https://blog.example";

    readonly HttpClient _client = app.CreateClient();

    async Task<long> PostAsync(string site, string url, string body, long? parentId = null, string name = "Guest", string? email = null,
        string? token = null)
    {
        object request = token is null
            ? new { url, parentId, body, author = new { name, email } }
            : new { url, parentId, body };
        using var response = token is null ? await _client.PostCommentAsync(site, request) : await _client.PostAsMemberAsync(site, token, request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        var id = JsonDocument.Parse(text).RootElement.Id();
        // Comments a minute apart, as people write them: the pace check is not what these tests are about.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        return id;
    }

    async Task<string> WidgetTokenAsync(Browser browser, string site)
    {
        var ask = $"/account/widget?site={site}&origin={Uri.EscapeDataString(Origin)}";
        using var granted = await browser.SubmitAsync(ask, "/account/widget", ("site", site), ("origin", Origin));
        var message = Regex.Match(await granted.Content.ReadAsStringAsync(), "data-message=\"([^\"]+)\"").Groups[1].Value;
        return JsonDocument.Parse(WebUtility.HtmlDecode(message)).RootElement.GetProperty("accessToken").GetString()!;
    }

    async Task<JsonElement> GetAsync(string token, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await _client.AsModeratorAsync(token, HttpMethod.Get, path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task AGuestAMemberAndAnSsoPersonAreEachOnePersonOfTheirKindAndRepliesCountOnBothSides()
    {
        var (site, moderator, secret) = await app.SiteWithTeamMemberAsync("Mod Mirja", SiteRole.Moderator);
        var sso = await _client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: "reader-7", name: "Sso Sunniva")));
        var (browser, email) = await app.SignedInAsync("Member Mattis", Password);
        var member = await WidgetTokenAsync(browser, site);
        var url = ApiCalls.NewPageUrl();

        var first = await PostAsync(site, url, "A first thought", name: "Guest Gry", email: "gry@mail.example");
        var answer = await PostAsync(site, url, "An answer", parentId: first, token: sso);
        await PostAsync(site, url, "An answer to the answer", parentId: answer, token: member);
        await PostAsync(site, url, "Me again, under my own", parentId: first, name: "Guest Gry", email: "gry@mail.example");

        var guest = await app.PersonAsync(site, "Guest Gry");
        Assert.Equal((PersonKind.Guest, 2, 2, 0, 1, null), (guest.Kind, guest.Comments, guest.Approved, guest.RepliesGiven, guest.RepliesReceived, guest.UserId));
        var person = await app.PersonAsync(site, "Sso Sunniva");
        Assert.Equal((PersonKind.Sso, 1, 1, 1), (person.Kind, person.Comments, person.RepliesGiven, person.RepliesReceived));
        var account = await app.PersonAsync(site, "Member Mattis");
        Assert.Equal((PersonKind.Member, 1, 1, 0), (account.Kind, account.Comments, account.RepliesGiven, account.RepliesReceived));
        Assert.Equal(await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => (long?)u.Id).SingleAsync()), account.UserId);

        using var list = await _client.AsModeratorAsync(moderator, HttpMethod.Get, $"/api/v1/sites/{site}/people?sort=comments");
        var text = await list.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.DoesNotContain("mail.example", text);
        Assert.DoesNotContain(email, text);
        var people = JsonDocument.Parse(text).RootElement.GetProperty("people").EnumerateArray().ToList();
        Assert.Equal(["Guest Gry", "Member Mattis", "Sso Sunniva"], people.Take(3).Select(p => p.GetProperty("name").GetString()!).Order().ToArray());
        Assert.Equal("Guest Gry", people[0].GetProperty("name").GetString());
        Assert.Equal("guest", people[0].GetProperty("kind").GetString());
        var one = await GetAsync(moderator, $"/api/v1/sites/{site}/people/{person.Id}");
        Assert.Equal(("sso", 1), (one.GetProperty("kind").GetString(), one.GetProperty("repliesReceived").GetInt32()));
        var recent = await GetAsync(moderator, $"/api/v1/sites/{site}/people?sort=recent&limit=1");
        Assert.Equal("Guest Gry", recent.GetProperty("people").EnumerateArray().Single().GetProperty("name").GetString());
    }

    [Fact]
    public async Task DaysActiveCountsDistinctUtcDays()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var name = "Daily " + Guid.NewGuid().ToString("N")[..6];
        // Just before midnight UTC, so the next comment is on the next day.
        var now = app.Clock.GetUtcNow();
        app.Clock.Advance(now.UtcDateTime.Date.AddDays(1).AddMinutes(-2) - now.UtcDateTime);

        await PostAsync(site, url, "Late at night", name: name);
        await PostAsync(site, url, "Still up", name: name);
        Assert.Equal(1, (await app.PersonAsync(site, name)).DaysActive);
        await PostAsync(site, url, "After midnight", name: name);
        app.Clock.Advance(TimeSpan.FromDays(3));
        await PostAsync(site, url, "Days later", name: name);
        await PostAsync(site, url, "Same day", name: name);

        var person = await app.PersonAsync(site, name);
        Assert.Equal((5, 3), (person.Comments, person.DaysActive));
        Assert.Equal(DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime), person.LastActiveDay);
        Assert.True(person.FirstCommentAt < person.LastCommentAt);
    }

    [Fact]
    public async Task DecisionsReportsAndRemovalsMoveWhatIsPublicAndWhatWasReported()
    {
        var (site, moderator, _) = await app.SiteWithTeamMemberAsync("Mod Mikkel", SiteRole.Moderator);
        var url = ApiCalls.NewPageUrl();
        var id = await PostAsync(site, url, "Something contested", name: "Guest Gunnar");
        await PostAsync(site, url, "Something else", name: "Guest Gunnar");

        async Task<(int Comments, int Approved, int Reports)> CountsAsync()
        {
            var p = await app.PersonAsync(site, "Guest Gunnar");
            return (p.Comments, p.Approved, p.ReportsAgainst);
        }
        async Task ActAsync(HttpMethod method, string path)
        {
            using var response = await _client.AsModeratorAsync(moderator, method, path);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        }

        await ActAsync(HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{id}/reject");
        Assert.Equal((2, 1, 0), await CountsAsync());
        await ActAsync(HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{id}/reject");
        Assert.Equal((2, 1, 0), await CountsAsync());
        await ActAsync(HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{id}/approve");
        Assert.Equal((2, 2, 0), await CountsAsync());

        foreach (var reader in new[] { "198.51.100.1", "198.51.100.2", "198.51.100.2", "198.51.100.3" })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/comments/{id}/report") { Content = JsonContent.Create(new { reason = "spam" }) };
            request.Headers.Add("X-Forwarded-For", reader);
            using var reported = await _client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NoContent, reported.StatusCode);
        }
        // Three readers (one twice) reached the threshold: the comment is held, out of public view.
        Assert.Equal((2, 1, 3), await CountsAsync());
        await ActAsync(HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{id}/approve");
        Assert.Equal((2, 2, 3), await CountsAsync());
        await ActAsync(HttpMethod.Delete, $"/api/v1/sites/{site}/moderation/comments/{id}");
        Assert.Equal((2, 1, 3), await CountsAsync());
    }

    [Fact]
    public async Task AClaimRecordsTheGuestAsMergedAndTheAccountTakesOverItsCounts()
    {
        var (site, moderator, _) = await app.SiteWithTeamMemberAsync("Mod Malin", SiteRole.Moderator);
        var (browser, email) = await app.SignedInAsync("Claiming Clara", Password);
        var url = ApiCalls.NewPageUrl();
        var other = await PostAsync(site, url, "Someone else's", name: "Other Olav");
        var claimed = await PostAsync(site, url, "As a guest", parentId: other, name: "Guest Clara", email: email);
        await PostAsync(site, url, "As a guest again", name: "Guest Clara", email: email);
        var guest = await app.PersonAsync(site, "Guest Clara");

        using var claim = await browser.SubmitAsync("/account/claim", "/account/claim", ("email", email));
        Assert.Contains("2 guest comments written with", await claim.Content.ReadAsStringAsync());

        var merged = await app.InDatabaseAsync(db => db.People.AsNoTracking().SingleAsync(p => p.Id == guest.Id));
        var account = await app.InDatabaseAsync(db => db.People.AsNoTracking().SingleAsync(p => p.Id == merged.MergedIntoId));
        // The guest's row is as it was, and says whom it became.
        Assert.Equal((guest.Comments, guest.Approved, guest.RepliesGiven, guest.Name), (merged.Comments, merged.Approved, merged.RepliesGiven, merged.Name));
        Assert.Equal((PersonKind.Member, 2, 2, 1, guest.FirstCommentAt), (account.Kind, account.Comments, account.Approved, account.RepliesGiven, account.FirstCommentAt));
        var listed = (await GetAsync(moderator, $"/api/v1/sites/{site}/people")).GetProperty("people").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()).ToList();
        Assert.Contains(account.Id, listed);
        Assert.DoesNotContain(guest.Id, listed);
        Assert.Equal(account.Id, (await GetAsync(moderator, $"/api/v1/sites/{site}/people/{guest.Id}")).GetProperty("mergedIntoId").GetInt64());

        // Later changes to the claimed comments land on the account's person.
        using var rejected = await _client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{claimed}/reject");
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal(1, (await app.InDatabaseAsync(db => db.People.AsNoTracking().SingleAsync(p => p.Id == account.Id))).Approved);
        Assert.Equal(2, (await app.InDatabaseAsync(db => db.People.AsNoTracking().SingleAsync(p => p.Id == guest.Id))).Approved);

        // A second claim finds nothing new and takes nothing twice.
        using var again = await browser.SubmitAsync("/account/claim", "/account/claim", ("email", email));
        Assert.Equal(2, (await app.InDatabaseAsync(db => db.People.AsNoTracking().SingleAsync(p => p.Id == account.Id))).Comments);

        // What the site counts of them is theirs to download, the guest they were included.
        using var download = await browser.Client.GetAsync("/account/data");
        var exported = (await download.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("people").EnumerateArray()
            .Select(p => (p.GetProperty("id").GetInt64(), p.GetProperty("site").GetString()!)).Order().ToList();
        Assert.Equal(new[] { (guest.Id, site), (account.Id, site) }.Order().ToList(), exported);
    }

    [Theory]
    [InlineData("remove")]
    [InlineData("keep")]
    public async Task ADeletedAccountLeavesNoPersonBehindNorTheGuestItClaimed(string comments)
    {
        var (site, _, _) = await app.SiteWithTeamMemberAsync("Mod Mads", SiteRole.Moderator);
        var name = "Leaving " + comments;
        var (browser, email) = await app.SignedInAsync(name, Password);
        var token = await WidgetTokenAsync(browser, site);
        var url = ApiCalls.NewPageUrl();
        var mine = await PostAsync(site, url, "As a member", token: token);
        await PostAsync(site, url, "As a guest first", name: "Guest " + name, email: email);
        await PostAsync(site, url, "A reply to the one leaving", parentId: mine, name: "Staying Stina");
        using (var claim = await browser.SubmitAsync("/account/claim", "/account/claim", ("email", email)))
        {
            Assert.Contains("1 guest comment written with", await claim.Content.ReadAsStringAsync());
        }
        var userId = await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        Assert.Equal(2, await app.InDatabaseAsync(db => db.People.CountAsync(p => p.UserId == userId || p.Name == "Guest " + name)));

        using var deleted = await browser.SubmitAsync("/account/delete", "/account/delete", ("comments", comments), ("password", Password));
        Assert.Contains("Your account is deleted", await deleted.Content.ReadAsStringAsync());

        await app.InDatabaseAsync(async db =>
        {
            Assert.False(await db.People.AnyAsync(p => p.UserId == userId || p.Name.Contains(name)));
            Assert.False(await db.People.AnyAsync(p => p.MergedIntoId != null && !db.People.Any(q => q.Id == p.MergedIntoId)));
            var stina = await db.People.SingleAsync(p => p.Name == "Staying Stina" && db.Sites.Any(s => s.Id == p.SiteId && s.Name == site));
            Assert.Equal((1, 1), (stina.Comments, stina.RepliesGiven));
            return 0;
        });
    }

    [Fact]
    public async Task ASitesTeamReadsOnlyItsOwnPeopleAndBadInputIsTold()
    {
        var (site, moderator, _) = await app.SiteWithTeamMemberAsync("Mod Molly", SiteRole.Moderator);
        var (otherSite, otherModerator, _) = await app.SiteWithTeamMemberAsync("Mod Otto", SiteRole.Moderator);
        await PostAsync(site, ApiCalls.NewPageUrl(), "Here", name: "Here Hilde");
        await PostAsync(otherSite, ApiCalls.NewPageUrl(), "There", name: "There Tove");
        var there = await app.PersonAsync(otherSite, "There Tove");

        // The other site's person is not found through this site, and this site's token opens nothing there.
        var missing = await GetAsync(moderator, $"/api/v1/sites/{site}/people/{there.Id}", HttpStatusCode.NotFound);
        Assert.Equal("person_not_found", missing.GetProperty("code").GetString());
        Assert.DoesNotContain("There Tove", missing.ToString());
        await GetAsync(moderator, $"/api/v1/sites/{otherSite}/people", HttpStatusCode.Unauthorized);
        await GetAsync(moderator, $"/api/v1/sites/{otherSite}/people/{there.Id}", HttpStatusCode.Unauthorized);
        var own = (await GetAsync(moderator, $"/api/v1/sites/{site}/people")).GetProperty("people").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.DoesNotContain("There Tove", own);
        Assert.Contains("There Tove", (await GetAsync(otherModerator, $"/api/v1/sites/{otherSite}/people")).ToString());

        foreach (var (query, field) in new[] { ("sort=loudest", "sort"), ("limit=0", "limit"), ("limit=101", "limit"), ("limit=ten", "limit"), ("limit=-1", "limit") })
        {
            using var response = await _client.AsModeratorAsync(moderator, HttpMethod.Get, $"/api/v1/sites/{site}/people?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty(field, out _), query);
        }
        Assert.Equal(1, (await app.PersonAsync(site, "Here Hilde")).Comments);
    }
}
