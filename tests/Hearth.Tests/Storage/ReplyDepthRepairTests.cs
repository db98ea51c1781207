using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Storage;

/// <summary>
/// Replies stored deeper than the maximum are re-attached beside their ancestor at the deepest level, each keeping the
/// comment it answered as its reply-to, with depth and top-level comment consistent; the rest of the data is untouched.
/// </summary>
public class ReplyDepthRepairTests(HearthApp app) : IClassFixture<HearthApp>
{
    const int MaxReplyDepth = 10;

    [Fact]
    public async Task AChainDeeperThanTheMaximumIsReattachedAtTheDeepestLevel()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var shallowUrl = ApiCalls.NewPageUrl();
        var path = Path.Combine(app.DataDirectory, "hearth.db");
        var chain = await DeepChain.WriteAsync(path, site, url, 2_000);
        var shallow = await DeepChain.WriteAsync(path, site, shallowUrl, MaxReplyDepth + 1);

        var moved = await app.InDatabaseAsync(db => ReplyDepthRepair.RunAsync(db, MaxReplyDepth, CancellationToken.None));
        Assert.Equal(chain.Length - MaxReplyDepth - 1, moved);

        var rows = await app.InDatabaseAsync(db => db.Comments.AsNoTracking()
            .Where(c => chain.Contains(c.Id) || shallow.Contains(c.Id))
            .Select(c => new { c.Id, c.ParentId, c.RootId, c.Depth, c.ReplyToId })
            .ToDictionaryAsync(c => c.Id));
        for (var level = 0; level < chain.Length; level++)
        {
            var row = rows[chain[level]];
            var expected = level <= MaxReplyDepth
                ? (level == 0 ? null : chain[level - 1], level == 0 ? null : chain[0], level, (long?)null)
                : ((long?)chain[MaxReplyDepth - 1], (long?)chain[0], MaxReplyDepth, (long?)chain[level - 1]);
            Assert.Equal(expected, (row.ParentId, row.RootId, row.Depth, row.ReplyToId));
        }
        // A thread already within the rule is left as it was.
        for (var level = 0; level < shallow.Length; level++)
        {
            Assert.Equal((level == 0 ? null : shallow[level - 1], level, (long?)null), (rows[shallow[level]].ParentId, rows[shallow[level]].Depth, rows[shallow[level]].ReplyToId));
        }

        Assert.Equal(0, await app.InDatabaseAsync(db => ReplyDepthRepair.RunAsync(db, MaxReplyDepth, CancellationToken.None)));
    }

    [Fact]
    public async Task LoweringTheMaximumKeepsWhomEarlierRepliesAnswered()
    {
        var site = await app.CreateSiteAsync();
        var chain = await DeepChain.WriteAsync(Path.Combine(app.DataDirectory, "hearth.db"), site, ApiCalls.NewPageUrl(), 12);
        await app.InDatabaseAsync(db => ReplyDepthRepair.RunAsync(db, 6, CancellationToken.None));
        await app.InDatabaseAsync(db => ReplyDepthRepair.RunAsync(db, 2, CancellationToken.None));

        var rows = await app.InDatabaseAsync(db => db.Comments.AsNoTracking().Where(c => chain.Contains(c.Id)).ToDictionaryAsync(c => c.Id));
        for (var level = 3; level < chain.Length; level++)
        {
            Assert.Equal((chain[1], 2, chain[level - 1]), (rows[chain[level]].ParentId!.Value, rows[chain[level]].Depth, rows[chain[level]].ReplyToId!.Value));
        }
    }
}
