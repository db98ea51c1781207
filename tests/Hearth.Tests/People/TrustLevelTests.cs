using Microsoft.Extensions.DependencyInjection;
using Hearth.Storage;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.People;
using Hearth.Sites;
using Hearth.Tests.Moderation;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.People;

/// <summary>Trust is earned by taking part, at the default thresholds (Discourse's levels, read for comments), and lost to an upheld report.</summary>
public class TrustLevelTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    async Task<JsonElement> PostAsync(string site, string url, string name, long? parentId = null, string body = "A thought")
    {
        var comment = await _client.CommentAsync(site, url, $"{body} {Guid.NewGuid():N}", parentId, name);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        return comment;
    }

    static string Someone(string name) => $"{name} {Guid.NewGuid().ToString("N")[..6]}";

    [Fact]
    public async Task ThreeApprovedCommentsOnTwoDaysMakeBasicAndTwentyOnTenDaysWithRepliesMakeRegular()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var name = Someone("Ragna");
        var friend = Someone("Friend");
        // Days active are UTC dates: the first three comments, a minute apart, must fall on one.
        app.MorningOfTheNextDay();

        var first = await PostAsync(site, url, name);
        await PostAsync(site, url, name);
        await PostAsync(site, url, name);
        Assert.Equal(0, (await app.PersonAsync(site, name)).TrustLevel);
        app.Clock.Advance(TimeSpan.FromDays(1));
        await PostAsync(site, url, name);
        Assert.Equal(1, (await app.PersonAsync(site, name)).TrustLevel);

        // Twenty comments over ten days, but answered by no one: still basic.
        for (var day = 0; day < 8; day++)
        {
            app.Clock.Advance(TimeSpan.FromDays(1));
            for (var i = 0; i < 2; i++)
            {
                await PostAsync(site, url, name);
            }
        }
        var person = await app.PersonAsync(site, name);
        Assert.Equal((20, 10, 0, 1), (person.Approved, person.DaysActive, person.RepliesReceived, person.TrustLevel));

        // Answered three times: heard, and so a regular, set by the friend's replies, not by a comment of their own.
        for (var i = 0; i < 3; i++)
        {
            await PostAsync(site, url, friend, first.Id());
        }
        person = await app.PersonAsync(site, name);
        Assert.Equal((3, 2), (person.RepliesReceived, person.TrustLevel));
        Assert.Equal(0, (await app.PersonAsync(site, friend)).TrustLevel);
    }

    [Fact]
    public async Task ARejectionDropsToZeroForTheQuietDaysThenTheNextCommentEarnsTheLevelBack()
    {
        var (site, moderator) = await app.SiteWithModeratorAsync();
        var url = ApiCalls.NewPageUrl();
        var name = Someone("Sigurd");
        for (var day = 0; day < 3; day++)
        {
            await PostAsync(site, url, name);
            await PostAsync(site, url, name);
            app.Clock.Advance(TimeSpan.FromDays(1));
        }
        var rude = await PostAsync(site, url, name, body: "Something rude");
        Assert.Equal(1, (await app.PersonAsync(site, name)).TrustLevel);

        using (var rejected = await _client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{rude.Id()}/reject"))
        {
            Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        }
        var person = await app.PersonAsync(site, name);
        Assert.Equal((0, 1, 6), (person.TrustLevel, person.UpheldReports, person.Approved));

        app.Clock.Advance(TimeSpan.FromDays(99));
        await PostAsync(site, url, name);
        Assert.Equal(0, (await app.PersonAsync(site, name)).TrustLevel);
        app.Clock.Advance(TimeSpan.FromDays(2));
        await PostAsync(site, url, name);
        Assert.Equal(1, (await app.PersonAsync(site, name)).TrustLevel);
    }

    [Fact]
    public async Task ReadersTakingACommentDownDropTheAuthorToZero()
    {
        var site = await app.CreateSiteAsync();
        await app.InDatabaseAsync(db => db.Sites.Where(s => s.Name == site).ExecuteUpdateAsync(u => u.SetProperty(s => s.ReportThreshold, 1)));
        var url = ApiCalls.NewPageUrl();
        var name = Someone("Tora");
        await PostAsync(site, url, name);
        await PostAsync(site, url, name);
        app.Clock.Advance(TimeSpan.FromDays(1));
        var last = await PostAsync(site, url, name);
        Assert.Equal(1, (await app.PersonAsync(site, name)).TrustLevel);

        using var report = await _client.PostAsJsonAsync($"/api/v1/sites/{site}/comments/{last.Id()}/report", new { reason = "abuse" });
        Assert.Equal(HttpStatusCode.NoContent, report.StatusCode);
        var person = await app.PersonAsync(site, name);
        Assert.Equal((0, 1, 2), (person.TrustLevel, person.UpheldReports, person.Approved));
    }

    [Fact]
    public async Task OnAFirstCommentSiteSomeoneTrustedIsNotHeldEvenWithEveryCommentOfTheirsGone()
    {
        var (site, moderator) = await app.SiteWithModeratorAsync(ModerationMode.First);
        var url = ApiCalls.NewPageUrl();
        var name = Someone("Vidar");
        var held = await PostAsync(site, url, name);
        Assert.Equal("pending", held.GetProperty("status").GetString());
        using (var approved = await _client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{held.Id()}/approve"))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }
        await PostAsync(site, url, name);
        app.Clock.Advance(TimeSpan.FromDays(1));
        var last = await PostAsync(site, url, name);
        Assert.Equal("published", last.GetProperty("status").GetString());
        Assert.Equal(1, (await app.PersonAsync(site, name)).TrustLevel);

        // They take back every comment they may still delete, and a moderator removes the rest: nothing of theirs is public.
        using (var mine = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/sites/{site}/comments/{last.Id()}"))
        {
            mine.Headers.Add("X-Edit-Token", last.GetProperty("editToken").GetString());
            using var deleted = await _client.SendAsync(mine);
            Assert.True(deleted.IsSuccessStatusCode, await deleted.Content.ReadAsStringAsync());
        }
        var rest = await app.InDatabaseAsync(db => db.Comments.Where(c => c.Author.Name == name && c.Status == Hearth.Conversations.CommentStatus.Published)
            .Select(c => c.Id).ToListAsync());
        foreach (var id in rest)
        {
            using var removed = await _client.AsModeratorAsync(moderator, HttpMethod.Delete, $"/api/v1/sites/{site}/moderation/comments/{id}");
            Assert.True(removed.IsSuccessStatusCode, await removed.Content.ReadAsStringAsync());
        }
        var person = await app.PersonAsync(site, name);
        Assert.Equal((0, 1), (person.Approved, person.TrustLevel));

        var again = await PostAsync(site, ApiCalls.NewPageUrl(), name);
        Assert.Equal("published", again.GetProperty("status").GetString());
        // Someone new still waits.
        var stranger = await PostAsync(site, url, Someone("Stranger"));
        Assert.Equal("pending", stranger.GetProperty("status").GetString());
    }

    [Fact]
    public async Task TheRecomputationSetsLevelsKeptBeforeThemAndWritesNothingTheSecondTime()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var name = Someone("Ylva");
        await PostAsync(site, url, name);
        await PostAsync(site, url, name);
        app.Clock.Advance(TimeSpan.FromDays(1));
        await PostAsync(site, url, name);
        // As a database from before levels were kept has them.
        await app.InDatabaseAsync(db => db.People.Where(p => p.Name == name).ExecuteUpdateAsync(u => u.SetProperty(p => p.TrustLevel, 0)));

        var now = app.Clock.GetUtcNow().UtcDateTime;
        var first = await app.InDatabaseAsync(db => TrustLevels.RecomputeAsync(db, new TrustOptions(), now, CancellationToken.None));
        var second = await app.InDatabaseAsync(db => TrustLevels.RecomputeAsync(db, new TrustOptions(), now, CancellationToken.None));
        Assert.True(first >= 1);
        Assert.Equal(0, second);
        Assert.Equal(1, (await app.PersonAsync(site, name)).TrustLevel);
    }

    [Fact]
    public async Task AStartSetsEveryLevelAgainOnlyWhenTheThresholdsChanged()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var name = Someone("Zora");
        await PostAsync(site, url, name);
        await PostAsync(site, url, name);
        app.Clock.Advance(TimeSpan.FromDays(1));
        await PostAsync(site, url, name);
        await app.InDatabaseAsync(db => db.People.Where(p => p.Name == name).ExecuteUpdateAsync(u => u.SetProperty(p => p.TrustLevel, 0)));
        Task StartAsync() => app.Services.GetRequiredService<StoragePreparation>().RunAsync(seedDemo: false, CancellationToken.None);

        // The same thresholds as at the last start: nobody's level is read again.
        await StartAsync();
        Assert.Equal(0, (await app.PersonAsync(site, name)).TrustLevel);

        // Others since (an operator changed Hearth:Trust): every level is set from the counters, and the thresholds kept.
        await app.InDatabaseAsync(db => db.InstanceSettings.Where(s => s.Name == InstanceSetting.TrustThresholds)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Value, "1/1/1/1/0/100")));
        await StartAsync();
        Assert.Equal(1, (await app.PersonAsync(site, name)).TrustLevel);
        Assert.Equal(new TrustOptions().LevelThresholds(), await app.InDatabaseAsync(db =>
            db.InstanceSettings.Where(s => s.Name == InstanceSetting.TrustThresholds).Select(s => s.Value).SingleAsync()));
    }

    [Theory]
    [InlineData(2, 5, 0, 0)]
    [InlineData(9, 1, 9, 0)]
    [InlineData(3, 2, 0, 1)]
    [InlineData(50, 9, 9, 1)]
    [InlineData(20, 10, 2, 1)]
    [InlineData(20, 10, 3, 2)]
    public void TheDefaultsAreTheDocumentedThresholds(int approved, int daysActive, int repliesReceived, int level) =>
        Assert.Equal(level, TrustLevels.Earned(new TrustOptions(), approved, daysActive, repliesReceived));

    [Fact]
    public void ThresholdsThatMakeNoSenseAreRefused()
    {
        Assert.Null(new TrustOptions().Problem());
        Assert.NotNull(new TrustOptions { BasicApproved = 0 }.Problem());
        Assert.NotNull(new TrustOptions { RegularApproved = 2 }.Problem());
    }
}
