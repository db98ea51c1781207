using System.Net;
using Hearth.Moderation.SpamFilter;
using Hearth.Tests.Moderation;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.ManyNodes;

/// <summary>
/// Moderators of one site deciding on two nodes at once both teach its spam filter the same words: the filter must
/// count both decisions, or a site behind a load balancer learns less than its moderators taught it.
/// </summary>
[Collection(TwoNodes.Collection)]
public sealed class LearningOnTwoNodesTests(TwoNodesThatMeet nodes) : IClassFixture<TwoNodesThatMeet>
{
    [Fact]
    public async Task TwoNodesLearningTheSameWordsAtOnceCountBothDecisions()
    {
        var (site, token) = await nodes.A.SiteWithModeratorAsync();
        var a = nodes.A.CreateClient();
        var b = nodes.B.CreateClient();
        // Three pitches with the same words on pages of their own (their threads are not what the decisions share).
        var ids = new List<long>();
        // Under three names: each decision also moves its author's person record, and a shared one would make the
        // second decision wait for the first there, before the counts this test is about.
        foreach (var (opening, seller) in new[] { ("Lovely garden.", "Seller One"), ("Nice photos.", "Seller Two"), ("So true.", "Seller Three") })
        {
            var comment = await a.CommentAsync(site, ApiCalls.NewPageUrl(), $"{opening} Gazebo canopy clearance at https://gazebo-depot.example/sale", name: seller);
            ids.Add(comment.Id());
        }
        // The site has learned something already, so both nodes read counts that exist.
        await DecideAsync(a, site, token, ids[0]);

        // On PostgreSQL both have read the counts before either writes. SQLite takes its write lock when the
        // transaction begins, so there the second node waits for the first.
        if (TestDatabase.IsPostgres)
        {
            nodes.Meeting.Arm("UPDATE \"SpamTokens\"", "INSERT INTO \"SpamTokens\"");
        }
        await Task.WhenAll(DecideAsync(a, site, token, ids[1]), DecideAsync(b, site, token, ids[2]));
        Assert.True(nodes.Meeting.Met || !TestDatabase.IsPostgres, "Both decisions should have read the counts before either wrote them.");

        var (totals, counts) = await nodes.A.InDatabaseAsync(async db =>
        {
            var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
            return (await db.Set<SpamTotals>().AsNoTracking().SingleAsync(t => t.SiteId == siteId),
                await db.Set<SpamTokenCount>().AsNoTracking().Where(c => c.SiteId == siteId).ToListAsync());
        });
        Assert.Equal(3, counts.Single(c => c.Token == "gazebo").Spam);
        Assert.Equal(3, totals.SpamComments);
        // The totals are the sums of the counts, as scoring takes them to be.
        Assert.Equal((counts.Sum(c => (long)c.Spam), counts.Sum(c => (long)c.Ham), counts.Count), (totals.SpamTokens, totals.HamTokens, totals.Vocabulary));
    }

    static async Task DecideAsync(HttpClient client, string site, string token, long id)
    {
        using var response = await client.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{id}/spam");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
