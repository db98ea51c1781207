using System.Net;
using System.Text.Json;
using Hearth.People;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Tests.Accounts;
using Hearth.Tests.Moderation;
using Hearth.Tests.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.People;

/// <summary>
/// A small community on a first-comment site, replayed over simulated weeks on the test clock: who is held, who is
/// listed to be welcomed, what level each has and what badges their comments wear, and the daily digest of a member
/// who follows the conversation, checked at every step.
/// </summary>
public class CommunityOverWeeksTests(AccountsApp app) : InboxTestBase(app), IClassFixture<AccountsApp>
{
    string _site = "";
    string _moderator = "";
    readonly string _page = ApiCalls.NewPageUrl();
    readonly string _other = ApiCalls.NewPageUrl();

    async Task<JsonElement> SayAsync(string name, long? answering = null, string? page = null)
    {
        var comment = await _client.CommentAsync(_site, page ?? _page, $"{name} says {Guid.NewGuid():N}", answering, name);
        App.Clock.Advance(TimeSpan.FromMinutes(3));
        return comment;
    }

    async Task DecideAsync(long id, string action)
    {
        using var response = await _client.AsModeratorAsync(_moderator, HttpMethod.Post, $"/api/v1/sites/{_site}/moderation/comments/{id}/{action}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    async Task<string[]> NewcomersAsync()
    {
        using var response = await _client.AsModeratorAsync(_moderator, HttpMethod.Get, $"/api/v1/sites/{_site}/people/newcomers");
        return [.. JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("newcomers").EnumerateArray()
            .Select(n => n.GetProperty("name").GetString()!)];
    }

    async Task<string[]> BadgesAsync(long id)
    {
        var thread = await _client.ThreadAsync(_site, _page);
        return [.. thread.GetProperty("comments").EnumerateArray().Single(c => c.Id() == id)
            .GetProperty("author").GetProperty("badges").EnumerateArray().Select(b => b.GetString()!)];
    }

    async Task<int> LevelAsync(string name) => (await App.PersonAsync(_site, name)).TrustLevel;

    void NextDay() => App.Clock.Advance(TimeSpan.FromDays(1));

    /// <summary>
    /// Waits until the follower has been told of the comment, moving the clock by seconds: news of a followed
    /// conversation is handed out in the background, and must be in before the day ends to be in that day's digest.
    /// </summary>
    async Task ToldAsync(long userId, long commentId)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await App.InDatabaseAsync(db => db.Notifications.AnyAsync(n => n.UserId == userId && n.CommentId == commentId)))
            {
                return;
            }
            App.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50);
        }
        Assert.Fail($"The follower was never told of comment {commentId}.");
    }

    /// <summary>
    /// The follower's digest number <paramref name="n"/> (from 1), moving the clock by minutes while it is awaited: the
    /// mail goes out at the first round after midnight, and after a jump of days that round waits on the clock too.
    /// </summary>
    async Task<MimeKit.MimeMessage> DigestAsync(string email, int n)
    {
        for (var i = 0; i < 200; i++)
        {
            var digests = App.Mail.To(email).Where(m => (m.Subject ?? "").Contains("conversations you follow", StringComparison.Ordinal)).ToList();
            if (digests.Count >= n)
            {
                return digests[n - 1];
            }
            App.Clock.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(50);
        }
        throw new TimeoutException($"Digest {n} never reached {email}.");
    }

    [Fact]
    public async Task TrustBadgesAndTheNewcomerListFollowACommunityWeekByWeek()
    {
        // Days active are counted by UTC date: each simulated day starts at eight in the morning, so its comments, a few
        // minutes apart, fall on one date whatever the hour the test runs at (started at 22:47 it counted eleven days).
        App.MorningOfTheNextDay();
        (_site, _moderator) = await App.SiteWithModeratorAsync(ModerationMode.First);

        // Week 0, day 0: three people arrive; each first comment waits. Alma and Bo are let in, Cy's is rejected.
        var alma = await SayAsync("Alma");
        var bo = await SayAsync("Bo");
        var cy = await SayAsync("Cy");
        Assert.All(new[] { alma, bo, cy }, c => Assert.Equal("pending", c.GetProperty("status").GetString()));
        Assert.Empty(await NewcomersAsync());
        await DecideAsync(alma.Id(), "approve");
        await DecideAsync(bo.Id(), "approve");
        await DecideAsync(cy.Id(), "reject");
        Assert.Equal(["Alma", "Bo"], await NewcomersAsync());
        Assert.Equal([EarnedBadges.Newcomer], await BadgesAsync(alma.Id()));
        Assert.Equal((0, 0, 0), (await LevelAsync("Alma"), await LevelAsync("Bo"), await LevelAsync("Cy")));
        Assert.Equal(1, (await App.PersonAsync(_site, "Cy")).UpheldReports);

        // Day 0 still: Bo answers Alma, so Alma has had her word back; Bo has not.
        var answer = await SayAsync("Bo", alma.Id());
        Assert.Equal("published", answer.GetProperty("status").GetString());
        Assert.Equal(["Bo"], await NewcomersAsync());

        // Eve, who has an account, joins the page's conversation (held, then let in) and takes its news once a day.
        var (eve, eveEmail, eveTokens) = await MemberWithAddressAsync("Eve Follows", _site);
        using (var chosen = await eve.SubmitAsync("/account/inbox", "/account/inbox/mail", ("reply", "daily"), ("followed", "daily")))
        {
            Assert.True(chosen.IsSuccessStatusCode || chosen.StatusCode == HttpStatusCode.Redirect, chosen.StatusCode.ToString());
        }
        await DecideAsync(await PostAsMemberAsync(_site, eveTokens[_site], _page, "Glad to find this page."), "approve");
        var eveId = await App.InDatabaseAsync(db => db.Users.Where(u => u.Email == eveEmail).Select(u => u.Id).SingleAsync());

        // Days 1-9: Alma writes twice a day, on another page too; Bo answers her on days 3 and 6. Each morning Eve's
        // digest holds the day before's one comment on the page she follows, and nothing from the other page.
        for (var day = 1; day <= 9; day++)
        {
            NextDay();
            if (day > 1)
            {
                var digest = await DigestAsync(eveEmail, day - 1);
                Assert.StartsWith("1 new comment in conversations you follow on ", digest.Subject);
            }
            var mine = await SayAsync("Alma", page: _other);
            var here = await SayAsync("Alma");
            await ToldAsync(eveId, here.Id());
            if (day is 3 or 6)
            {
                await SayAsync("Bo", mine.Id(), _other);
            }
            if (day == 1)
            {
                // Three public comments on two days: basic.
                Assert.Equal(1, await LevelAsync("Alma"));
            }
        }

        var almaNow = await App.PersonAsync(_site, "Alma");
        Assert.Equal((19, 10, 3, 1), (almaNow.Approved, almaNow.DaysActive, almaNow.RepliesReceived, almaNow.TrustLevel));
        // Bo: four public comments on three days.
        Assert.Equal(1, await LevelAsync("Bo"));

        // Day 9: the twentieth comment makes Alma a regular. Her first comment, on the page nobody wrote to since
        // the morning, wears it within the stated lag.
        await SayAsync("Alma", page: _other);
        Assert.Equal(2, await LevelAsync("Alma"));
        App.Clock.Advance(EarnedBadges.Lag);
        Assert.Equal([EarnedBadges.Regular], await BadgesAsync(alma.Id()));
        Assert.Equal([EarnedBadges.Newcomer], await BadgesAsync(bo.Id()));

        // Week 2: Bo is no longer new, and leaves the list unanswered; Cy, whose only comment was rejected, never showed.
        // Eve's ninth digest, of day 9, came the morning after; nothing on the other page reached her.
        App.Clock.Advance(TimeSpan.FromDays(5));
        var ninth = await DigestAsync(eveEmail, 9);
        Assert.StartsWith("1 new comment in conversations you follow on ", ninth.Subject);
        Assert.Contains("Alma says", ninth.TextBody);
        Assert.Equal(9, App.Mail.To(eveEmail).Count(m => (m.Subject ?? "").Contains("conversations you follow", StringComparison.Ordinal)));
        Assert.DoesNotContain(App.Mail.To(eveEmail), m => (m.TextBody ?? "").Contains(_other, StringComparison.Ordinal));
        Assert.Empty(await BadgesAsync(bo.Id()));
        Assert.Empty(await NewcomersAsync());

        // Week 3: a newcomer arrives. Alma, trusted, is not held, and answers: Dag is welcomed at once.
        App.Clock.Advance(TimeSpan.FromDays(7));
        var dag = await SayAsync("Dag");
        Assert.Equal("pending", dag.GetProperty("status").GetString());
        await DecideAsync(dag.Id(), "approve");
        Assert.Equal(["Dag"], await NewcomersAsync());
        var welcome = await SayAsync("Alma", dag.Id());
        Assert.Equal("published", welcome.GetProperty("status").GetString());
        Assert.Empty(await NewcomersAsync());

        // Week 4: a comment of Alma's is rejected: she falls to level 0 and her badge goes within the lag.
        NextDay();
        var rude = await SayAsync("Alma");
        await DecideAsync(rude.Id(), "reject");
        Assert.Equal(0, await LevelAsync("Alma"));
        App.Clock.Advance(EarnedBadges.Lag);
        Assert.Empty(await BadgesAsync(alma.Id()));
        // Her published comments still let her through on a first-comment site, but level 0 is held for the quiet days.
        NextDay();
        Assert.Equal("published", (await SayAsync("Alma")).GetProperty("status").GetString());
        Assert.Equal(0, await LevelAsync("Alma"));

        // Week 19: the quiet days are over; her next comment earns her level back from the counters she kept.
        App.Clock.Advance(TimeSpan.FromDays(100));
        await SayAsync("Alma", page: _other);
        Assert.Equal(2, await LevelAsync("Alma"));
        App.Clock.Advance(EarnedBadges.Lag);
        Assert.Equal([EarnedBadges.Regular], await BadgesAsync(alma.Id()));
        Assert.Equal((1, 0), (await LevelAsync("Bo"), await LevelAsync("Cy")));
    }
}
