using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Identity;
using Hearth.Notifications;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Tests.Accounts;
using Hearth.Tests.Identity;
using Hearth.Tests.Moderation;
using Hearth.Tests.Nodes;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Notifications;

/// <summary>Following a person of a site brings their new public comments to the inbox; muting them silences everything they write.</summary>
public class PersonFollowTests(AccountsApp app) : InboxTestBase(app), IClassFixture<AccountsApp>
{
    protected async Task<HttpResponseMessage> PersonCallAsync(string site, string? token, HttpMethod method, string key, object? body = null)
    {
        var request = new HttpRequestMessage(method, $"/api/v1/sites/{site}/people/{Uri.EscapeDataString(key)}/follow")
        {
            Content = body is null ? null : JsonContent.Create(body),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }
        return await _client.SendAsync(request);
    }

    protected async Task SetAsync(string site, string token, string key, string state)
    {
        using var response = await PersonCallAsync(site, token, HttpMethod.Put, key, new { state });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(state, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
    }

    async Task<JsonElement> ListAsync(string site, string token, string query = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/person-follows{query}");
        request.Headers.Authorization = new("Bearer", token);
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }

    /// <summary>A member's comment, and the key it carries as its author's (what a reader follows them by).</summary>
    protected async Task<(long Id, string Key)> WriteAsync(string site, string token, string url, string body, long? parentId = null)
    {
        using var response = await _client.PostAsMemberAsync(site, token, new { url, body, parentId });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (json.Id(), json.GetProperty("author").GetProperty("key").GetString()!);
    }

    /// <summary>Both background hand-outs (followed conversations and followed people) have run over everything written so far.</summary>
    protected async Task HandedOutAsync()
    {
        var last = await App.InDatabaseAsync(db => db.ThreadEvents.MaxAsync(e => (long?)e.Id)) ?? 0;
        async Task<bool> Past(HearthDb db, string cursor) =>
            (await db.InstanceSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Name == cursor))?.Value is { } value && long.Parse(value) >= last;
        await Node.UntilAsync(async () => await App.InDatabaseAsync(async db =>
                await Past(db, FollowedThreadsNotifier.Cursor) && await Past(db, PersonFanoutWork.Cursor)
                && !await db.Set<PersonFanout>().AnyAsync(f => !f.Done)),
            "new comments handed out to followers", () => App.Clock.Advance(Leases.Renewal));
    }

    protected static List<string> Kinds(JsonElement inbox) =>
        [.. inbox.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("kind").GetString()!)];

    [Fact]
    public async Task AFollowedPersonsNewPublicCommentsReachTheFollowerOnceAndNeverTheirAuthor()
    {
        await HandedOutAsync();
        var site = await App.CreateSiteAsync();
        var (adaBrowser, ada) = await MemberAsync("Ada Reader", site);
        var (_, cal) = await MemberAsync("Cal Writer", site);
        var (adas, _) = await WriteAsync(site, ada[site], ApiCalls.NewPageUrl(), "Where do people swim in winter around here?");
        var (_, calKey) = await WriteAsync(site, cal[site], ApiCalls.NewPageUrl(), "The harbour steps are open all year.");
        Assert.Equal("none", await StateAsync(site, ada[site], calKey));
        await SetAsync(site, ada[site], calKey, "following");
        Assert.Equal("following", await StateAsync(site, ada[site], calKey));

        // A new page, a page she never saw, and a reply to her: the reply is told once, as a reply.
        var elsewhere = (await WriteAsync(site, cal[site], ApiCalls.NewPageUrl(), "New post: a map of every sea pool on the coast.")).Id;
        var answer = (await WriteAsync(site, cal[site], await PageOfAsync(adas), "Try the tidal pool at the north end.", adas)).Id;
        var guest = (await _client.CommentAsync(site, ApiCalls.NewPageUrl(), "A guest wrote this.", name: "Cal Writer")).Id();
        await HandedOutAsync();

        var inbox = await InboxAsync(site, ada[site]);
        Assert.Equal([answer, elsewhere], CommentIds(inbox));
        Assert.Equal(["reply", "followed-person"], Kinds(inbox));
        Assert.DoesNotContain(guest, CommentIds(inbox));
        Assert.Equal([elsewhere], CommentIds(await InboxAsync(site, ada[site], "?kind=followed-person")));
        // The inbox page says why each came, and narrows to one kind.
        var everything = await adaBrowser.GetAsync("/account/inbox");
        Assert.Contains("(whom you follow) wrote", everything);
        Assert.Contains("replied to you", everything);
        var onlyPeople = await adaBrowser.GetAsync("/account/inbox?kind=followed-person");
        Assert.Contains("(whom you follow) wrote", onlyPeople);
        Assert.DoesNotContain("replied to you", onlyPeople);
        Assert.Contains("aria-current=\"page\">People you follow", onlyPeople);
        // Cal is not told of his own comments.
        Assert.Empty(CommentIds(await InboxAsync(site, cal[site])));
        // Another round over the same log adds nothing.
        App.Clock.Advance(Leases.Renewal);
        await HandedOutAsync();
        Assert.Equal(2, CommentIds(await InboxAsync(site, ada[site])).Count);

        // The list says whom, and who she is; stopping stops.
        var list = await ListAsync(site, ada[site]);
        Assert.Equal(calKey, Assert.Single(list.GetProperty("people").EnumerateArray()).GetProperty("key").GetString());
        Assert.NotEqual(calKey, list.GetProperty("me").GetString());
        using (var stop = await PersonCallAsync(site, ada[site], HttpMethod.Delete, calKey))
        {
            Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        }
        var after = (await WriteAsync(site, cal[site], ApiCalls.NewPageUrl(), "Another post nobody follows now.")).Id;
        await HandedOutAsync();
        Assert.DoesNotContain(after, CommentIds(await InboxAsync(site, ada[site])));
        Assert.Empty((await ListAsync(site, ada[site])).GetProperty("people").EnumerateArray());
    }

    async Task<string> StateAsync(string site, string token, string key)
    {
        using var response = await PersonCallAsync(site, token, HttpMethod.Get, key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString()!;
    }

    async Task<string> PageOfAsync(long commentId) => await App.InDatabaseAsync(db =>
        db.Comments.Where(c => c.Id == commentId).Join(db.Threads, c => c.ThreadId, t => t.Id, (c, t) => t.Url).SingleAsync());

    [Fact]
    public async Task AHeldCommentReachesFollowersOnlyOnceApproved()
    {
        await HandedOutAsync();
        var (site, moderator, _) = await App.SiteWithTeamMemberAsync("Mod Pia", SiteRole.Moderator, ModerationMode.Pre);
        var (_, ada) = await MemberAsync("Ada Waiting", site);
        var (_, cal) = await MemberAsync("Cal Held", site);
        var (first, calKey) = await WriteAsync(site, cal[site], ApiCalls.NewPageUrl(), "A first comment, held like every one here.");
        await SetAsync(site, ada[site], calKey, "following");
        var held = (await WriteAsync(site, cal[site], ApiCalls.NewPageUrl(), "Waiting for a moderator to look.")).Id;
        await HandedOutAsync();
        Assert.Empty(CommentIds(await InboxAsync(site, ada[site])));

        using (var approved = await _client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{held}/approve"))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }
        using (var rejected = await _client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{first}/reject"))
        {
            Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        }
        await HandedOutAsync();
        Assert.Equal([held], CommentIds(await InboxAsync(site, ada[site])));
    }

    [Fact]
    public async Task AMutedPersonNotifiesNothingRepliesMentionsAndFollowedConversationsIncluded()
    {
        await HandedOutAsync();
        var site = await App.CreateSiteAsync();
        var (_, ada) = await MemberAsync("Ada Muter", site);
        var (_, cal) = await MemberAsync("Cal Loud", site);
        var page = ApiCalls.NewPageUrl();
        var (adas, _) = await WriteAsync(site, ada[site], page, "What is the best time to see the puffins?");
        var (_, calKey) = await WriteAsync(site, cal[site], ApiCalls.NewPageUrl(), "Hello from somewhere else.");
        await SetAsync(site, ada[site], calKey, "muted");

        await WriteAsync(site, cal[site], page, "Early June, and go before nine.", adas);
        await WriteAsync(site, cal[site], page, "@AdaMuter bring binoculars.");
        await WriteAsync(site, cal[site], page, "And a flask of tea.");
        var fromGuest = (await _client.CommentAsync(site, page, "The boat trips start in May.", name: "Boat Bo")).Id();
        await HandedOutAsync();
        // Only the guest's comment in the conversation she follows reaches her.
        Assert.Equal([fromGuest], CommentIds(await InboxAsync(site, ada[site])));
        Assert.Equal("muted", (await ListAsync(site, ada[site], "?state=muted")).GetProperty("people")[0].GetProperty("state").GetString());
        Assert.Empty((await ListAsync(site, ada[site], "?state=following")).GetProperty("people").EnumerateArray());

        // Following someone one had muted is a change of mind, not a second row; unmuted, they are heard again.
        await SetAsync(site, ada[site], calKey, "none");
        var reply = (await WriteAsync(site, cal[site], page, "Puffins nest on the far cliffs.", adas)).Id;
        Assert.Contains(reply, CommentIds(await InboxAsync(site, ada[site])));
    }

    [Fact]
    public async Task GuestsYourselfAndUnknownPeopleCannotBeFollowedAndBadRequestsStoreNothing()
    {
        var site = await App.CreateSiteAsync();
        var other = await App.CreateSiteAsync();
        var (_, ada) = await MemberAsync("Ada Picky", site, other);
        var (_, cal) = await MemberAsync("Cal Plain", site);
        var page = ApiCalls.NewPageUrl();
        var (_, adaKey) = await WriteAsync(site, ada[site], page, "A comment of my own.");
        var (_, calKey) = await WriteAsync(site, cal[site], page, "A comment of Cal's.");
        var guest = await _client.CommentAsync(site, page, "A guest's words.", name: "Guest Gil");
        Assert.False(guest.GetProperty("author").TryGetProperty("key", out _));
        var guestKey = await App.InDatabaseAsync(db => db.Comments.Where(c => c.Id == guest.Id()).Select(c => c.Author.Key).SingleAsync());

        foreach (var (key, status, code) in new[]
        {
            (guestKey, HttpStatusCode.BadRequest, "person_not_followable"),
            (adaKey, HttpStatusCode.BadRequest, "cannot_follow_self"),
            ("no-such-person", HttpStatusCode.NotFound, "person_not_found"),
        })
        {
            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Put, HttpMethod.Delete })
            {
                using var refused = await PersonCallAsync(site, ada[site], method, key, method == HttpMethod.Put ? new { state = "following" } : null);
                Assert.Equal(status, refused.StatusCode);
                Assert.Equal(code, (await refused.ProblemAsync()).GetProperty("code").GetString());
            }
        }
        // Cal is a person of the first site only: on the other, Ada's token finds no one by his key.
        using (var elsewhere = await PersonCallAsync(other, ada[other], HttpMethod.Put, calKey, new { state = "following" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        }
        foreach (var body in new object[] { new { state = "loud" }, new { }, new { state = 3 } })
        {
            using var bad = await PersonCallAsync(site, ada[site], HttpMethod.Put, calKey, body);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            await bad.ProblemAsync();
        }
        using (var badList = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/person-follows?state=loud")
        {
            Headers = { Authorization = new("Bearer", ada[site]) },
        }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badList.StatusCode);
        }
        // Nobody signed in, or someone with another site's token, gets nothing and changes nothing.
        using (var anonymous = await PersonCallAsync(site, null, HttpMethod.Put, calKey, new { state = "following" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        using (var wrongSite = await PersonCallAsync(site, ada[other], HttpMethod.Put, calKey, new { state = "following" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrongSite.StatusCode);
        }
        Assert.Equal(0, await App.InDatabaseAsync(db => db.Set<PersonFollow>().CountAsync(f => db.Sites.Any(s => s.Id == f.SiteId && (s.Name == site || s.Name == other)))));
    }

    [Fact]
    public async Task NewCommentsOfPeopleFollowedComeByDailyDigestUnlessTheAccountChoosesOtherwise()
    {
        var site = await App.CreateSiteAsync();
        var (browser, ada) = await MemberAsync("Ada Mailable", site);
        async Task<string?> ChoiceAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/inbox/preferences");
            request.Headers.Authorization = new("Bearer", ada[site]);
            using var response = await _client.SendAsync(request);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("followedPerson").GetString();
        }
        Assert.Equal("daily", await ChoiceAsync());
        Assert.Contains("New comments by people you follow:", await browser.GetAsync("/account/inbox"));
        using (var bad = await browser.SubmitAsync("/account/inbox", "/account/inbox/mail", ("reply", "immediately"), ("followed", "daily"), ("followedPerson", "often")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }
        Assert.Equal("daily", await ChoiceAsync());
        using (var saved = await browser.SubmitAsync("/account/inbox", "/account/inbox/mail", ("reply", "immediately"), ("followed", "daily"), ("followedPerson", "never")))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }
        Assert.Equal("never", await ChoiceAsync());
    }

    [Fact]
    public async Task AnAccountFollowsOrMutesAtMostAThousandPeopleOnASite()
    {
        var site = await App.CreateSiteAsync();
        var (_, ada) = await MemberAsync("Ada Collector", site);
        var (_, cal) = await MemberAsync("Cal Extra", site);
        var (adaKey, calKey) = ((await WriteAsync(site, ada[site], ApiCalls.NewPageUrl(), "Mine.")).Key,
            (await WriteAsync(site, cal[site], ApiCalls.NewPageUrl(), "His.")).Key);
        // A thousand people of the site, each with an account, followed already.
        await App.InDatabaseAsync(async db =>
        {
            var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
            var adaId = await db.People.Where(p => p.Key == adaKey).Select(p => p.UserId!.Value).SingleAsync();
            var tag = Guid.NewGuid().ToString("N")[..8];
            var users = Enumerable.Range(0, PersonFollows.MaxPerSite).Select(i => new HearthUser
            {
                UserName = $"many-{tag}-{i}", NormalizedUserName = $"MANY-{tag}-{i}", DisplayName = $"Many {i}", SecurityStamp = tag,
            }).ToList();
            db.Users.AddRange(users);
            await db.SaveChangesAsync();
            var people = users.Select(u => new Hearth.People.Person { SiteId = siteId, Kind = Hearth.People.PersonKind.Member, Key = "many-" + u.Id, UserId = u.Id, Name = u.DisplayName }).ToList();
            db.People.AddRange(people);
            await db.SaveChangesAsync();
            db.AddRange(people.Select(p => new PersonFollow { UserId = adaId, PersonId = p.Id, SiteId = siteId, State = PersonFollow.Following }));
            return await db.SaveChangesAsync();
        });

        using (var refused = await PersonCallAsync(site, ada[site], HttpMethod.Put, calKey, new { state = "muted" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("too_many_people", (await refused.ProblemAsync()).GetProperty("code").GetString());
        }
        // Changing one already on the list still works, and after stopping one there is room again.
        await SetAsync(site, ada[site], "many-" + await App.InDatabaseAsync(db => db.People.Where(p => p.Key.StartsWith("many-") && p.Name == "Many 0")
            .OrderByDescending(p => p.Id).Select(p => p.UserId).FirstAsync()), "muted");
        await SetAsync(site, ada[site], "many-" + await App.InDatabaseAsync(db => db.People.Where(p => p.Key.StartsWith("many-") && p.Name == "Many 1")
            .OrderByDescending(p => p.Id).Select(p => p.UserId).FirstAsync()), "none");
        await SetAsync(site, ada[site], calKey, "muted");
        Assert.Equal(PersonFollows.MaxPerSite, (await ListAsync(site, ada[site])).GetProperty("people").GetArrayLength());
    }

    [Fact]
    public async Task DeletingAnAccountTakesItsFollowsAndOthersFollowsOfItWithIt()
    {
        var site = await App.CreateSiteAsync();
        var (adaBrowser, ada) = await MemberAsync("Ada Leaving", site);
        var (_, cal) = await MemberAsync("Cal Staying", site);
        var (_, dee) = await MemberAsync("Dee Watching", site);
        var (_, adaKey) = await WriteAsync(site, ada[site], ApiCalls.NewPageUrl(), "I will be gone soon.");
        var (_, calKey) = await WriteAsync(site, cal[site], ApiCalls.NewPageUrl(), "I am staying.");
        await SetAsync(site, ada[site], calKey, "following");
        await SetAsync(site, dee[site], adaKey, "muted");
        var adaId = await App.InDatabaseAsync(db => db.People.Where(p => p.Key == adaKey).Select(p => p.UserId!.Value).SingleAsync());
        Assert.Contains("\"personFollows\"", await adaBrowser.GetAsync("/account/data"));

        using (var deleted = await adaBrowser.SubmitAsync("/account/delete", "/account/delete", ("comments", "keep"), ("password", Password)))
        {
            Assert.Contains("Your account is deleted", await deleted.Content.ReadAsStringAsync());
        }
        Assert.Equal(0, await App.InDatabaseAsync(db => db.Set<PersonFollow>().CountAsync(f =>
            f.UserId == adaId || db.People.Any(p => p.Id == f.PersonId && p.UserId == adaId))));
        Assert.Empty((await ListAsync(site, dee[site])).GetProperty("people").EnumerateArray());
    }
}
