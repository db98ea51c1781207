using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Sites;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Conversations;

/// <summary>
/// Posts that wait for the database are stored together: one transaction for many, none answered before it commits,
/// and a write that fails in a batch fails alone. The database is held busy by taking the write lock in the test, so
/// what waits is decided by the test, not by how fast the machine is.
/// </summary>
public class GroupCommitTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    GroupCommit Commits => app.Services.GetRequiredService<GroupCommit>();

    /// <summary>Waits (bounded) until that many writes are queued behind the held lock.</summary>
    async Task WaitingAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (Commits.Waiting < count)
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>Twelve people's own words (copies of one text under many names would rightly be held as a spam run).</summary>
    static readonly string[] Views =
    [
        "The bridge looks better from the towpath than from the road.",
        "I walked across it on Sunday and the handrail was already wobbly.",
        "Why did nobody ask the rowing club about the height of the arch?",
        "My grandmother remembers the ferry that used to cross right there.",
        "Cyclists and walkers share one narrow lane, which feels risky at dusk.",
        "Lovely lighting at night, it reflects on the water like a necklace.",
        "The council spent twice the budget and finished a year late.",
        "Herons still fish under it every morning, so the wildlife seems fine.",
        "Could someone post the opening times of the new cafe on the east bank?",
        "Parking near the south end is impossible on market days.",
        "Our school class painted the mural on the pillar last spring.",
        "It finally connects the two halves of town, which matters more than looks.",
    ];

    [Fact]
    public async Task PostsThatWaitTogetherAreStoredInOneTransactionAndAnsweredOnlyOnceItHasCommitted()
    {
        var site = await app.CreateSiteAsync();
        var page = ApiCalls.NewPageUrl();
        var opening = await _client.CommentAsync(site, page, "Opening the thread: what did everyone make of the new bridge over the river?", name: "Host");
        var (batchesBefore, writesBefore) = Commits.Committed;

        Task<HttpResponseMessage>[] posts;
        using (await app.Services.GetRequiredService<WriteGate>().EnterAsync(CancellationToken.None))
        {
            posts = [.. Enumerable.Range(0, 12).Select(i => _client.PostCommentAsync(site, new
            {
                url = page,
                parentId = i % 3 == 0 ? opening.Id() : (long?)null,
                body = Views[i],
                author = new { name = $"Reader {i}" },
            }))];
            await WaitingAsync(12);
            // Nothing is answered while the transaction that stores it cannot commit.
            Assert.All(posts, post => Assert.False(post.IsCompleted));
        }

        var responses = await Task.WhenAll(posts);
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        var (batches, writes) = Commits.Committed;
        Assert.Equal(12, writes - writesBefore);
        // The first post may have been taken alone, before the others arrived; the rest waited and went in together.
        Assert.InRange(batches - batchesBefore, 1, 2);

        var ids = new List<long>();
        foreach (var response in responses)
        {
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).Id());
        }
        Assert.Equal(12, ids.Distinct().Count());
        var thread = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(page)}&limit=50");
        Assert.Equal(13, thread.GetProperty("thread").GetProperty("commentCount").GetInt32());
        Assert.Equal(13, thread.GetProperty("comments").GetArrayLength());
    }

    [Fact]
    public async Task AWriteThatFailsInABatchFailsAloneAndTheOthersAreStored()
    {
        _ = app.Server;
        var name = "gc-" + Guid.NewGuid().ToString("N")[..8];
        Task<long> first, twin, other;
        using (await app.Services.GetRequiredService<WriteGate>().EnterAsync(CancellationToken.None))
        {
            first = Commits.RunAsync((services, ct) => AddSiteAsync(services, name, ct), CancellationToken.None);
            // Site names are unique: this one cannot be stored once the first is.
            twin = Commits.RunAsync((services, ct) => AddSiteAsync(services, name, ct), CancellationToken.None);
            other = Commits.RunAsync((services, ct) => AddSiteAsync(services, name + "-other", ct), CancellationToken.None);
            await WaitingAsync(3);
        }

        Assert.True(await first > 0);
        Assert.True(await other > 0);
        await Assert.ThrowsAsync<DbUpdateException>(() => twin);
        var stored = await app.InDatabaseAsync(db => db.Sites.Where(s => s.Name.StartsWith(name)).Select(s => s.Name).ToListAsync());
        Assert.Equal([name, name + "-other"], stored.Order());
        Assert.Equal(0, Commits.Waiting);
    }

    async Task<long> AddSiteAsync(IServiceProvider services, string name, CancellationToken ct)
    {
        var db = services.GetRequiredService<HearthDb>();
        var site = new Site { Name = name, Origins = ["https://shop.example"], CreatedAt = app.Clock.GetUtcNow().UtcDateTime };
        db.Sites.Add(site);
        await db.SaveChangesAsync(ct);
        return site.Id;
    }
}
