using System.Net;
using System.Text.Json;
using Hearth.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Conversations;

/// <summary>
/// A top-level comment with more replies than a page carries: the page holds its first ones and says there are more,
/// the rest come a page's share at a time, and building the page reads what it carries, not every reply there is.
/// </summary>
public class ManyRepliesTests(MeasuredHearthApp app) : IClassFixture<MeasuredHearthApp>
{
    readonly HttpClient _client = app.CreateClient();
    const int Share = ReadThread.RepliesPerRoot;

    /// <summary>Replies written straight into the database as a post stores them, a second apart, under the root.</summary>
    async Task AddRepliesAsync(long rootId, int count, int from = 0)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Hearth.Storage.HearthDb>();
        var root = await db.Comments.SingleAsync(c => c.Id == rootId);
        var thread = await db.Threads.SingleAsync(t => t.Id == root.ThreadId);
        var body = scope.ServiceProvider.GetRequiredService<MarkdownRenderer>().Render("Me too, and here is why.");
        for (var done = 0; done < count; done += 1000)
        {
            db.Comments.AddRange(Enumerable.Range(from + done, Math.Min(1000, count - done)).Select(i => Comment.Create(thread, root,
                new CommentAuthor { Kind = AuthorKind.Guest, Name = $"Answerer {i}", Key = $"answerer-{i % 300}" },
                body, CommentStatus.Published, null, null, null, root.CreatedAt.AddSeconds(1 + i), 10)));
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
    }

    static List<JsonElement> Comments(JsonElement page) => [.. page.GetProperty("comments").EnumerateArray()];

    async Task<JsonElement> MoreAsync(string site, string url, long root, long after)
    {
        using var response = await _client.GetAsync($"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}&replies={root}&after={after}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task APageCarriesTheFirstRepliesOfEachCommentAndTheRestComeAShareAtATime()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var busy = (await _client.CommentAsync(site, url, "Everyone answers this one")).Id();
        var quiet = (await _client.CommentAsync(site, url, "A few answer this one")).Id();
        await AddRepliesAsync(busy, 2 * Share + 50);
        foreach (var i in Enumerable.Range(0, 3))
        {
            await _client.CommentAsync(site, url, $"Quiet answer {i}", parentId: quiet, name: $"Quiet {i}");
        }

        var page = Comments(await _client.ThreadAsync(site, url, "&sort=oldest"));
        Assert.Equal(2 + Share + 3, page.Count);
        Assert.True(page[0].GetProperty("moreReplies").GetBoolean());
        Assert.False(page[Share + 1].TryGetProperty("moreReplies", out _), "A comment whose replies all came says nothing.");
        Assert.All(page.Skip(1).Take(Share), r => Assert.Equal(busy, r.GetProperty("parentId").GetInt64()));

        // The next shares, each after the last reply the reader has, until there are no more.
        var seen = page.Skip(1).Take(Share).Select(r => r.Id()).ToList();
        var second = await MoreAsync(site, url, busy, seen[^1]);
        Assert.True(second.GetProperty("moreReplies").GetBoolean());
        seen.AddRange(Comments(second).Select(r => r.Id()));
        var third = await MoreAsync(site, url, busy, seen[^1]);
        Assert.False(third.GetProperty("moreReplies").GetBoolean());
        seen.AddRange(Comments(third).Select(r => r.Id()));
        Assert.Equal(2 * Share + 50, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        var stored = await app.InDatabaseAsync(db => db.Comments.Where(c => c.RootId == busy).OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).Select(c => c.Id).ToListAsync());
        Assert.Equal(stored, seen);

        // The place the reader stopped at goes on working when that reply is held since (looked up whatever became of it),
        // or gone altogether (the reader gives its time as well).
        var stop = seen[Share - 1];
        await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == stop).ExecuteUpdateAsync(c => c.SetProperty(x => x.Status, CommentStatus.Pending)));
        var afterHeld = await MoreAsync(site, url, busy, stop);
        Assert.Equal(seen.Skip(Share).Take(Share), Comments(afterHeld).Select(r => r.Id()));
        var stopAt = page[Share].GetProperty("createdAt").GetString();
        await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == stop).ExecuteDeleteAsync());
        using (var gone = await _client.GetAsync($"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}&replies={busy}&after={stop}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
        using (var byTime = await _client.GetAsync($"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}&replies={busy}&after={stop}&at={Uri.EscapeDataString(stopAt!)}"))
        {
            Assert.Equal(HttpStatusCode.OK, byTime.StatusCode);
            var next = Comments(JsonDocument.Parse(await byTime.Content.ReadAsStringAsync()).RootElement);
            Assert.Equal(seen.Skip(Share).Take(Share), next.Select(r => r.Id()));
        }

        // A reply that is not the comment's own, a comment that is not top-level, a half-given pair: no replies.
        var quietReply = page[^1].Id();
        foreach (var (query, status) in new[]
        {
            ($"replies={busy}&after={quietReply}", HttpStatusCode.NotFound),
            ($"replies={seen[0]}&after={seen[1]}", HttpStatusCode.NotFound),
            ($"replies={busy}", HttpStatusCode.BadRequest),
            ($"after={seen[0]}", HttpStatusCode.BadRequest),
            ($"replies={busy}&after={seen[0]}&at=yesterday", HttpStatusCode.BadRequest),
        })
        {
            using var response = await _client.GetAsync($"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}&{query}");
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        var other = await app.CreateSiteAsync();
        using (var elsewhere = await _client.GetAsync($"/api/v1/sites/{other}/thread?url={Uri.EscapeDataString(url)}&replies={busy}&after={seen[0]}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        }
    }

    [SqliteFact("it counts SQLite's steps, which grow with the rows a statement reads")]
    public async Task BuildingAPageReadsAboutTheSameWhetherACommentHasTwoThousandRepliesOrTwentyThousand()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var root = (await _client.CommentAsync(site, url, "The question of the year")).Id();
        await AddRepliesAsync(root, 2_000);
        var small = await BuildAsync(site, url);
        await AddRepliesAsync(root, 18_000, from: 2_000);
        var large = await BuildAsync(site, url);

        Assert.Equal(small.Commands, large.Commands);
        Assert.True(large.Steps < small.Steps * 13 / 10, $"{small.Steps} steps with 2,000 replies, {large.Steps} with 20,000");
    }

    async Task<(int Commands, long Steps)> BuildAsync(string site, string url)
    {
        // Each build is a page no one has read yet: a sort of its own.
        var sort = _sorts.Dequeue();
        app.Meter.Start();
        using var response = await _client.GetAsync($"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}&sort={sort}");
        var commands = app.Meter.Stop().Where(c => c.Sql.Contains("\"Comments\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1 + Share, Comments(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement).Count);
        return (commands.Count, commands.Sum(c => c.Steps));
    }

    readonly Queue<string> _sorts = new(["oldest", "newest"]);
}
