using Hearth.Identity;
using Hearth.Moderation;
using Hearth.Moderation.SpamFilter;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Moderation;

/// <summary>
/// Two moderators (on two nodes: each has its own write gate) give the same comment the same verdict at the same
/// moment. The spam filter must learn the verdict once: the second finds the label the first wrote, instead of also
/// taking back the old verdict and learning the new one, or failing on the label's key when the comment had none.
/// </summary>
public sealed class SimultaneousLabelsTests(HearthApp app) : IClassFixture<HearthApp>
{
    const int Rounds = 15;

    [Fact]
    public async Task TwoModeratorsLabellingANewCommentAtOnceBothSucceedAndItIsLearnedOnce()
    {
        var (site, moderator, client) = await SiteAsync();
        var url = ApiCalls.NewPageUrl();
        for (var i = 0; i < Rounds; i++)
        {
            var id = (await client.CommentAsync(site.Name, url, $"Cheap watches number {i}")).Id();
            var results = await Task.WhenAll(BothAsync(site, moderator, id, "spam"));
            // The filter may already hold it as spam (it learned the earlier ones); then neither changes its status.
            Assert.True(results.Sum(r => r.Changed) <= 1);
            var (spam, ham) = await CommentsLearnedAsync(site.Id);
            Assert.Equal((i + 1, 0), (spam, ham));
        }
    }

    [Fact]
    public async Task TwoModeratorsChangingAVerdictAtOnceChangeItOnce()
    {
        var (site, moderator, client) = await SiteAsync();
        var url = ApiCalls.NewPageUrl();
        for (var i = 0; i < Rounds; i++)
        {
            var id = (await client.CommentAsync(site.Name, url, $"Replica handbags number {i}")).Id();
            await DecideAsync(null, site, moderator, id, "notspam");
            await Task.WhenAll(BothAsync(site, moderator, id, "spam"));
            // Every comment so far learned as spam once, and none left counted as not spam.
            Assert.Equal((i + 1, 0), await CommentsLearnedAsync(site.Id));
            var label = await app.InDatabaseAsync(db => db.Set<SpamLabel>().AsNoTracking().SingleAsync(l => l.CommentId == id));
            Assert.True(label.Spam);
            // And the comment left the thread's count once.
            Assert.Equal(0, await app.InDatabaseAsync(db => db.Threads.Where(t => t.SiteId == site.Id).Select(t => t.CommentCount).SingleAsync()));
        }
    }

    async Task<(Hearth.Sites.Site Site, Member Moderator, HttpClient Client)> SiteAsync()
    {
        var name = await app.CreateSiteAsync();
        var site = await app.InDatabaseAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Name == name));
        return (site, new Member(0, 0, site.Id, "Mo", null, null, []), app.CreateClient());
    }

    Task<DecisionResponse>[] BothAsync(Hearth.Sites.Site site, Member moderator, long id, string action)
    {
        var start = new Barrier(2);
        return [Task.Run(() => DecideAsync(start, site, moderator, id, action)), Task.Run(() => DecideAsync(start, site, moderator, id, action))];
    }

    Task<(int Spam, int Ham)> CommentsLearnedAsync(long siteId) => app.InDatabaseAsync(async db =>
        await db.Set<SpamTotals>().AsNoTracking().Where(t => t.SiteId == siteId).Select(t => new ValueTuple<int, int>(t.SpamComments, t.HamComments))
            .SingleOrDefaultAsync());

    async Task<DecisionResponse> DecideAsync(Barrier? start, Hearth.Sites.Site site, Member moderator, long id, string action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        // A gate of its own, as on another node.
        var decide = ActivatorUtilities.CreateInstance<DecideComments>(scope.ServiceProvider, new WriteGate());
        await scope.ServiceProvider.GetRequiredService<HearthDb>().Database.OpenConnectionAsync();
        start?.SignalAndWait(TimeSpan.FromSeconds(30));
        return await decide.RunAsync(site, moderator, [id], action, CancellationToken.None);
    }
}
