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

/// <summary>Commenting follows a conversation; its new comments reach the follower's inbox in the background; muting stops everything from it.</summary>
public class FollowTests(AccountsApp app) : InboxTestBase(app), IClassFixture<AccountsApp>
{
    Task<HttpResponseMessage> FollowCallAsync(string site, string? token, HttpMethod method, string query = "", object? body = null)
    {
        var request = new HttpRequestMessage(method, $"/api/v1/sites/{site}/follow{query}") { Content = body is null ? null : JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }
        return _client.SendAsync(request);
    }

    async Task<string> FollowStateAsync(string site, string token, string url)
    {
        using var response = await FollowCallAsync(site, token, HttpMethod.Get, "?url=" + Uri.EscapeDataString(url));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString()!;
    }

    /// <summary>The background hand-out has run over everything written so far (the test's clock drives its rounds).</summary>
    async Task HandedOutAsync()
    {
        var last = await App.InDatabaseAsync(db => db.ThreadEvents.MaxAsync(e => (long?)e.Id)) ?? 0;
        await Node.UntilAsync(async () => await App.InDatabaseAsync(async db =>
                (await db.InstanceSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Name == FollowedThreadsNotifier.Cursor))?.Value is { } value
                && long.Parse(value) >= last),
            "the followed conversations' new comments handed out", () => App.Clock.Advance(Leases.Renewal));
    }

    [Fact]
    public async Task NewCommentsInAConversationSomeoneCommentedInReachTheirInboxButNotTheirOwnNorTwice()
    {
        await HandedOutAsync();
        var site = await App.CreateSiteAsync();
        var (_, ada) = await MemberAsync("Ada Follower", site);
        var (_, cal) = await MemberAsync("Cal Replier", site);
        var page = ApiCalls.NewPageUrl();
        Assert.Equal("none", await FollowStateAsync(site, ada[site], page));
        var adas = await PostAsMemberAsync(site, ada[site], page, "Has anyone walked the coast path since the bridge closed?");
        Assert.Equal("following", await FollowStateAsync(site, ada[site], page));

        var fromBo = (await _client.CommentAsync(site, page, "Yes, there is a ferry detour for now.", name: "Bo Walker")).Id();
        await PostAsMemberAsync(site, ada[site], page, "Thanks, I will try the ferry.");
        var fromCal = await PostAsMemberAsync(site, cal[site], page, "The ferry runs hourly until six.", adas);
        await HandedOutAsync();

        var inbox = await InboxAsync(site, ada[site]);
        Assert.Equal([fromCal, fromBo], CommentIds(inbox));
        var kinds = inbox.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["reply", "followed"], kinds);
        Assert.Equal([fromBo], CommentIds(await InboxAsync(site, ada[site], "?kind=followed")));
        // Cal follows since he commented; what came before him is not sent to him.
        Assert.Empty(CommentIds(await InboxAsync(site, cal[site])));

        // Another round over the same log adds nothing.
        App.Clock.Advance(Leases.Renewal);
        await HandedOutAsync();
        Assert.Equal(2, CommentIds(await InboxAsync(site, ada[site])).Count);
    }

    [Fact]
    public async Task ANewCommentWakesTheHandOutSoAFollowerHearsOfItWithinASecondNotAtTheNextRenewal()
    {
        await HandedOutAsync();
        var site = await App.CreateSiteAsync();
        var (_, ada) = await MemberAsync("Ada Waiting", site);
        var page = ApiCalls.NewPageUrl();
        await PostAsMemberAsync(site, ada[site], page, "Is the lido open on winter mornings?");
        var fromBo = (await _client.CommentAsync(site, page, "It opens at seven, even in January.", name: "Bo Swimmer")).Id();

        // The clock moves a second at a time, never as far as the renewal; between two moves the inbox is read over real
        // time, so a busy machine only makes the round late, never the test wrong.
        var moved = TimeSpan.Zero;
        while (true)
        {
            App.Clock.Advance(FollowedThreadsNotifier.Soonest);
            moved += FollowedThreadsNotifier.Soonest;
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (waited.Elapsed < TimeSpan.FromSeconds(5))
            {
                if (CommentIds(await InboxAsync(site, ada[site])).Contains(fromBo))
                {
                    return;
                }
                await Task.Delay(50);
            }
            Assert.True(moved < Leases.Renewal / 2, "the follower heard nothing before the hand-out's renewal");
        }
    }

    [Fact]
    public async Task AMutedConversationSendsNothingNotEvenReplies()
    {
        await HandedOutAsync();
        var site = await App.CreateSiteAsync();
        var (_, ada) = await MemberAsync("Ada Muting", site);
        var page = ApiCalls.NewPageUrl();
        var adas = await PostAsMemberAsync(site, ada[site], page, "Which bakery has the best rye bread in town?");
        using (var muted = await FollowCallAsync(site, ada[site], HttpMethod.Put, body: new { url = page, state = "muted" }))
        {
            Assert.Equal(HttpStatusCode.OK, muted.StatusCode);
        }
        Assert.Equal("muted", await FollowStateAsync(site, ada[site], page));
        await _client.CommentAsync(site, page, "The one by the station, no contest.", adas, "Rye Fan");
        await _client.CommentAsync(site, page, "I prefer the market stall on Saturdays.", name: "Market Goer");
        // Commenting again does not undo the mute.
        await PostAsMemberAsync(site, ada[site], page, "Noted, thank you both.");
        Assert.Equal("muted", await FollowStateAsync(site, ada[site], page));
        await HandedOutAsync();
        Assert.Empty(CommentIds(await InboxAsync(site, ada[site])));

        using (var cleared = await FollowCallAsync(site, ada[site], HttpMethod.Put, body: new { url = page, state = "none" }))
        {
            Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        }
        Assert.Equal("none", await FollowStateAsync(site, ada[site], page));
        var after = (await _client.CommentAsync(site, page, "Try the seeded one.", adas, "Rye Fan")).Id();
        Assert.Equal([after], CommentIds(await InboxAsync(site, ada[site])));
    }

    [Fact]
    public async Task AHeldCommentReachesFollowersOnlyOnceApproved()
    {
        await HandedOutAsync();
        var (site, moderator, _) = await App.SiteWithTeamMemberAsync("Mod Ola", SiteRole.Moderator, ModerationMode.Pre);
        var (_, ada) = await MemberAsync("Ada Patient", site);
        var page = ApiCalls.NewPageUrl();
        var adas = await PostAsMemberAsync(site, ada[site], page, "Is the night market on this week?");
        using (var approved = await _client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{adas}/approve"))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }
        var held = (await _client.CommentAsync(site, page, "It moved to Fridays this month.", name: "Market Mo")).Id();
        await HandedOutAsync();
        Assert.Empty(CommentIds(await InboxAsync(site, ada[site], "?kind=followed")));
        using (var approved = await _client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{held}/approve"))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }
        await HandedOutAsync();
        Assert.Equal([held], CommentIds(await InboxAsync(site, ada[site], "?kind=followed")));
    }

    [Fact]
    public async Task SomeoneWhoTurnedFollowingOffDoesNotFollowByCommenting()
    {
        var site = await App.CreateSiteAsync();
        var (browser, ada) = await MemberAsync("Ada Quiet", site);
        Assert.Contains("When you comment, you follow the conversation", await browser.GetAsync("/account/inbox"));
        using (var off = await browser.SubmitAsync("/account/inbox", "/account/inbox/follow-on-comment", ("on", "false")))
        {
            Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);
        }
        Assert.Contains("Commenting does not follow conversations.", await browser.GetAsync("/account/inbox"));
        // A new sign-in to the widget carries the choice.
        var (_, again) = (browser, ada);
        var page = ApiCalls.NewPageUrl();
        await PostAsMemberAsync(site, again[site], page, "Just passing by with a quick thank you.");
        Assert.Equal("none", await FollowStateAsync(site, again[site], page));
    }

    [Fact]
    public async Task FollowingAsksForASignedInPersonAndAPageWithAConversation()
    {
        var site = await App.CreateSiteAsync();
        var (_, ada) = await MemberAsync("Ada Asking", site);
        var page = ApiCalls.NewPageUrl();
        using (var anonymous = await FollowCallAsync(site, null, HttpMethod.Get, "?url=" + Uri.EscapeDataString(page)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        using (var nothingHere = await FollowCallAsync(site, ada[site], HttpMethod.Put, body: new { url = page, state = "following" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, nothingHere.StatusCode);
            Assert.Equal("thread_not_found", (await nothingHere.ProblemAsync()).GetProperty("code").GetString());
        }
        await _client.CommentAsync(site, page, "A first comment so there is a conversation.", name: "Opener");
        foreach (var body in new object[] { new { url = page, state = "loud" }, new { url = page }, new { url = "https://elsewhere.example/x", state = "muted" } })
        {
            using var bad = await FollowCallAsync(site, ada[site], HttpMethod.Put, body: body);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            await bad.ProblemAsync();
        }
        using (var badKind = await InboxCallAsync(site, ada[site], HttpMethod.Get, "?kind=everything"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        }
        using var followed = await FollowCallAsync(site, ada[site], HttpMethod.Put, body: new { url = page, state = "following" });
        Assert.Equal(HttpStatusCode.OK, followed.StatusCode);
        Assert.Equal("following", await FollowStateAsync(site, ada[site], page));
    }
}
