using System.Net;
using System.Net.Http.Json;
using Hearth.Identity;
using Hearth.People;
using Hearth.Tests.Moderation;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.People;

/// <summary>An instance with comments from before people were kept gets the same people the ledger would have kept.</summary>
public class PeopleBackfillTests(HearthApp app) : IClassFixture<HearthApp>
{
    [Fact]
    public async Task PeopleCountedFromStoredCommentsMatchThoseKeptAsTheyWereWritten()
    {
        var (site, moderator, _) = await app.SiteWithTeamMemberAsync("Mod Maja", SiteRole.Moderator);
        var client = app.CreateClient();
        var url = ApiCalls.NewPageUrl();
        async Task<long> PostAsync(string body, string name, long? parentId = null)
        {
            var id = (await client.CommentAsync(site, url, body, parentId, name)).Id();
            app.Clock.Advance(TimeSpan.FromHours(7));
            return id;
        }
        var first = await PostAsync("Opening words", "Anna Early");
        var reply = await PostAsync("An answer", "Bo Answer", first);
        await PostAsync("Answering back", "Anna Early", reply);
        var own = await PostAsync("And to myself", "Anna Early", first);
        await PostAsync("Once more", "Bo Answer", own);
        var report = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/comments/{reply}/report") { Content = JsonContent.Create(new { reason = "spam" }) };
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(report)).StatusCode);
        using (var rejected = await client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{own}/reject"))
        {
            Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        }

        static object Row(Person p) => new
        {
            p.SiteId, p.Kind, p.Key, p.UserId, p.Name, p.FirstCommentAt, p.LastCommentAt, p.LastActiveDay, p.Comments, p.Approved,
            p.RepliesGiven, p.RepliesReceived, p.DaysActive, p.ReportsAgainst, p.TrustLevel, p.MergedIntoId,
        };
        Task<List<object>> PeopleOfSiteAsync() => app.InDatabaseAsync(async db => (await db.People.AsNoTracking()
            .Where(p => db.Sites.Any(s => s.Id == p.SiteId && s.Name == site)).OrderBy(p => p.Key).ToListAsync()).Select(Row).ToList());
        var kept = await PeopleOfSiteAsync();
        Assert.Equal(2, kept.Count);
        // Everyone goes, the demo site's people too, as on an instance that had comments before people were kept.
        var everyone = await app.InDatabaseAsync(db => db.People.ExecuteDeleteAsync());

        Assert.Equal(everyone, await app.InDatabaseAsync(db => PeopleBackfill.RunAsync(db, CancellationToken.None)));
        Assert.Equal(kept, await PeopleOfSiteAsync());
        var anna = await app.PersonAsync(site, "Anna Early");
        Assert.Equal((3, 2, 1, 2, 0), (anna.Comments, anna.Approved, anna.RepliesGiven, anna.RepliesReceived, anna.ReportsAgainst));
        var bo = await app.PersonAsync(site, "Bo Answer");
        Assert.Equal((2, 2, 2, 1, 1), (bo.Comments, bo.Approved, bo.RepliesGiven, bo.RepliesReceived, bo.ReportsAgainst));

        // Run again (another node starting, or the next start): nothing is added or counted twice.
        Assert.Equal(0, await app.InDatabaseAsync(db => PeopleBackfill.RunAsync(db, CancellationToken.None)));
        Assert.Equal(kept, await PeopleOfSiteAsync());
        Assert.Equal(everyone, await app.InDatabaseAsync(db => db.People.CountAsync()));
    }
}
