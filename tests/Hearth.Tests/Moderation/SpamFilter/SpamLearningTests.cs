using Hearth.Moderation.SpamFilter;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Moderation.SpamFilter;

/// <summary>Learning as increments in the database: the counts move by the lessons, and the totals stay their sums.</summary>
public class SpamLearningTests(HearthApp app) : IClassFixture<HearthApp>
{
    async Task LearnAsync(long siteId, params SpamLesson[] lessons)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Hearth.Storage.HearthDb>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await scope.ServiceProvider.GetRequiredService<SpamModels>().LearnAsync(siteId, lessons, CancellationToken.None);
        await transaction.CommitAsync();
    }

    Task<(SpamTotals Totals, Dictionary<string, (int Spam, int Ham)> Counts)> ReadAsync(long siteId) => app.InDatabaseAsync(async db => (
        await db.Set<SpamTotals>().AsNoTracking().SingleAsync(t => t.SiteId == siteId),
        await db.Set<SpamTokenCount>().AsNoTracking().Where(c => c.SiteId == siteId).ToDictionaryAsync(c => c.Token, c => (c.Spam, c.Ham))));

    [Fact]
    public async Task LearningAndTakingBackMovesCountsAndTotalsAndForgetsTokensNoLongerCounted()
    {
        var site = await app.CreateSiteAsync();
        var siteId = await app.InDatabaseAsync(db => db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync());

        await LearnAsync(siteId, new SpamLesson(["pills", "cheap"], true, 1), new SpamLesson(["cheap", "garden"], false, 1));
        var (totals, counts) = await ReadAsync(siteId);
        Assert.Equal(new Dictionary<string, (int, int)> { ["pills"] = (1, 0), ["cheap"] = (1, 1), ["garden"] = (0, 1) }, counts);
        Assert.Equal((1, 1, 2L, 2L, 3), (totals.SpamComments, totals.HamComments, totals.SpamTokens, totals.HamTokens, totals.Vocabulary));

        // A moderator changes their mind: the spam is taken back and learned as not spam.
        await LearnAsync(siteId, new SpamLesson(["pills", "cheap"], true, -1), new SpamLesson(["pills", "cheap"], false, 1));
        (totals, counts) = await ReadAsync(siteId);
        Assert.Equal(new Dictionary<string, (int, int)> { ["pills"] = (0, 1), ["cheap"] = (0, 2), ["garden"] = (0, 1) }, counts);
        Assert.Equal((0, 2, 0L, 4L, 3), (totals.SpamComments, totals.HamComments, totals.SpamTokens, totals.HamTokens, totals.Vocabulary));

        // The author's account goes: what their comments taught is taken back, and tokens no longer counted have no row.
        await LearnAsync(siteId, new SpamLesson(["pills", "cheap"], false, -1), new SpamLesson(["cheap", "garden"], false, -1));
        (totals, counts) = await ReadAsync(siteId);
        Assert.Empty(counts);
        Assert.Equal((0, 0, 0L, 0L, 0), (totals.SpamComments, totals.HamComments, totals.SpamTokens, totals.HamTokens, totals.Vocabulary));
    }

    [Fact]
    public async Task TakingBackWhatWasNeverCountedLeavesNoCountBelowZero()
    {
        var site = await app.CreateSiteAsync();
        var siteId = await app.InDatabaseAsync(db => db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync());
        await LearnAsync(siteId, new SpamLesson(["casino"], true, 1));

        // Counts short of the decisions (as two nodes could leave them before learning was atomic): "bonus" was never counted.
        await LearnAsync(siteId, new SpamLesson(["casino", "bonus"], true, -1), new SpamLesson(["bonus"], false, 1));
        var (totals, counts) = await ReadAsync(siteId);
        Assert.Equal(new Dictionary<string, (int, int)> { ["bonus"] = (0, 1) }, counts);
        Assert.Equal((0, 1, 0L, 1L, 1), (totals.SpamComments, totals.HamComments, totals.SpamTokens, totals.HamTokens, totals.Vocabulary));
    }
}
