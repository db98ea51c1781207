using System.Text.Json;
using Hearth.Accounts;
using Hearth.Conversations;
using Hearth.Live;
using Hearth.Storage;
using Hearth.Tests.Moderation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hearth.Tests.ManyNodes;

/// <summary>Two nodes where every message node A sends on the change bus is lost: A hears its own changes, B never does.</summary>
public sealed class TwoNodesLosingMessages : TwoNodes
{
    protected override Action<IServiceCollection>? ServicesOfA => services =>
        services.AddSingleton<IChangeBus>(sp => new InProcessChangeBus(sp.GetRequiredService<NodeChanges>()));
}

/// <summary>
/// Changes that alter a thread's page without a comment being posted, edited or removed (a lock, an author's new name)
/// move the thread's log like any other, so a node that never heard of them finds its cached page behind at its next look
/// at the logs instead of serving it until the next comment.
/// </summary>
[Collection(TwoNodes.Collection)]
public sealed class UnannouncedPageChangesTests(TwoNodesLosingMessages nodes) : IClassFixture<TwoNodesLosingMessages>
{
    readonly HttpClient _a = nodes.A.CreateClient();
    readonly HttpClient _b = nodes.B.CreateClient();

    [Fact]
    public async Task ALockMadeOnOneNodeReachesTheOtherNodesCachedPage()
    {
        var (site, token) = await nodes.A.SiteWithModeratorAsync();
        var url = ApiCalls.NewPageUrl();
        await _a.CommentAsync(site, url, "before the lock");
        var threadId = (await _b.ThreadAsync(site, url)).GetProperty("thread").GetProperty("id").GetInt64();
        Assert.False(await LockedOnBAsync(site, url));

        using (var locked = await _a.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/threads/{threadId}/lock"))
        {
            locked.EnsureSuccessStatusCode();
        }
        Assert.True((await _a.ThreadAsync(site, url)).GetProperty("thread").GetProperty("locked").GetBoolean());
        await CheckLogsOnBAsync();
        Assert.True(await LockedOnBAsync(site, url));

        using (var unlocked = await _a.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/threads/{threadId}/unlock"))
        {
            unlocked.EnsureSuccessStatusCode();
        }
        await CheckLogsOnBAsync();
        Assert.False(await LockedOnBAsync(site, url));
    }

    [Fact]
    public async Task AnAuthorsNewNameMadeOnOneNodeReachesTheOtherNodesCachedPages()
    {
        var (site, _) = await nodes.A.SiteWithModeratorAsync();
        var (first, second) = (ApiCalls.NewPageUrl(), ApiCalls.NewPageUrl());
        var ids = new[] { (await _a.CommentAsync(site, first, "mine")).Id(), (await _a.CommentAsync(site, second, "mine too")).Id() };
        var userId = await nodes.A.InDatabaseAsync(async db =>
        {
            // The moderator's account wrote both, as if signed in.
            var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
            var member = await db.SiteMembers.Where(m => m.SiteId == siteId).Select(m => m.UserId).SingleAsync();
            foreach (var comment in await db.Comments.Where(c => ids.Contains(c.Id)).ToListAsync())
            {
                comment.ClaimFor(member, "Mo", null, null, ThreadLog.MemberActor(nodes.A.Services.GetRequiredService<InstanceKey>(), member));
            }
            await db.SaveChangesAsync();
            return member;
        });
        Assert.Equal("Mo", await AuthorOnBAsync(site, first));
        Assert.Equal("Mo", await AuthorOnBAsync(site, second));

        await nodes.A.InDatabaseAsync(db => db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.DisplayName, "Maureen")));
        await using (var scope = nodes.A.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<MemberComments>().RefreshAuthorAsync(userId, CancellationToken.None);
        }
        await CheckLogsOnBAsync();
        Assert.Equal("Maureen", await AuthorOnBAsync(site, first));
        Assert.Equal("Maureen", await AuthorOnBAsync(site, second));
    }

    /// <summary>Node B's periodic look at the logs of the threads it caches, run now rather than raced with its timer.</summary>
    Task CheckLogsOnBAsync() => nodes.B.Services.GetServices<IHostedService>().OfType<LiveCheck>().Single().CheckAsync(CancellationToken.None);

    /// <summary>Read twice, so the second answer is the cached page whenever B has one.</summary>
    async Task<bool> LockedOnBAsync(string site, string url)
    {
        await _b.ThreadAsync(site, url);
        return (await _b.ThreadAsync(site, url)).GetProperty("thread").GetProperty("locked").GetBoolean();
    }

    async Task<string> AuthorOnBAsync(string site, string url)
    {
        await _b.ThreadAsync(site, url);
        JsonElement page = await _b.ThreadAsync(site, url);
        return page.GetProperty("comments")[0].GetProperty("author").GetProperty("name").GetString()!;
    }
}
