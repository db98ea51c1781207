using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Security;

/// <summary>
/// A cursor is the server's own note of where a page ended, signed for one thread, order and page size. A made-up,
/// altered or borrowed one is refused before any query runs, so nobody can mint new cache keys for a thread, and a
/// page reads only its own rows: a page of a big thread costs SQLite what a page of a small one costs.
/// </summary>
public class MadeUpCursorsAreRefusedTests(MeasuredHearthApp app) : IClassFixture<MeasuredHearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    static string Paging(string sort, int limit, string? cursor) =>
        $"&sort={sort}&limit={limit}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));

    static string Query(string url, string sort, int limit, string? cursor) => $"?url={Uri.EscapeDataString(url)}" + Paging(sort, limit, cursor);

    async Task<string> NextCursorAsync(string site, string url, string sort, int limit) =>
        (await _client.ThreadAsync(site, url, Paging(sort, limit, null))).GetProperty("nextCursor").GetString()!;

    /// <summary>A thread of top-level comments written straight into the database, ranked in seven tiers so "best" has ties.</summary>
    async Task<string> ThreadOfAsync(string site, int comments)
    {
        var url = ApiCalls.NewPageUrl();
        var first = await _client.CommentAsync(site, url, "The first, through the API");
        await app.InDatabaseAsync(async db =>
        {
            var thread = await db.Comments.Where(c => c.Id == first.Id()).Select(c => new { c.SiteId, c.ThreadId }).SingleAsync();
            // One statement for either engine; only the time arithmetic differs.
            var createdAt = db.Database.IsSqlite()
                ? "datetime('2026-01-01', '+' || i || ' seconds')"
                : "TIMESTAMPTZ '2026-01-01 00:00:00+00' + i * INTERVAL '1 second'";
            var sql = $$"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {0})
                INSERT INTO "Comments" ("SiteId", "ThreadId", "Depth", "Author_Kind", "Author_Name", "Author_Key", "Source", "Html", "BodyHash", "Status",
                    "CreatedAt", "EditedByModerator", "Pinned", "Featured", "Upvotes", "Downvotes", "Rank")
                SELECT {1}, {2}, 0, 'Guest', 'Reader ' || i, 'key' || i, 'Words ' || i, '<p>Words ' || i || '</p>',
                    'hash' || i, 'Published', {{createdAt}}, FALSE, FALSE, FALSE, i % 7, 0, (i % 7) / 10.0
                FROM n
                """;
            return await db.Database.ExecuteSqlRawAsync(sql, [comments, thread.SiteId, thread.ThreadId]);
        });
        return url;
    }

    /// <summary>The SQLite steps and the number of queries one read of the thread API costs.</summary>
    async Task<(long Steps, int Queries)> CostOfAsync(string site, string url, string sort, int limit, string? cursor)
    {
        app.Meter.Start();
        using var response = await _client.GetAsync($"/api/v1/sites/{site}/thread" + Query(url, sort, limit, cursor));
        var commands = app.Meter.Stop();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reads = commands.Where(c => c.Sql.Contains("\"Comments\"") || c.Sql.Contains("\"Thread")).ToList();
        return (reads.Sum(c => c.Steps), reads.Count);
    }

    [Fact]
    public async Task MadeUpAlteredAndBorrowedCursorsAreRefusedWithoutTouchingTheThread()
    {
        var site = await app.CreateSiteAsync();
        var url = await ThreadOfAsync(site, 12);
        var other = await ThreadOfAsync(site, 12);
        var valid = await NextCursorAsync(site, url, "oldest", 5);
        var (position, signature) = (valid[..valid.IndexOf('.')], valid[(valid.IndexOf('.') + 1)..]);
        var otherPosition = (await NextCursorAsync(site, url, "oldest", 3)).Split('.')[0];

        var refused = new (string What, string Query)[]
        {
            ("made up", Query(url, "oldest", 5, "not-a-cursor")),
            ("unsigned, as cursors used to be", Query(url, "oldest", 5, Convert.ToBase64String(Encoding.ASCII.GetBytes("1|0|0|0")).TrimEnd('='))),
            ("signature altered", Query(url, "oldest", 5, position + "." + (signature[0] == 'A' ? 'B' : 'A') + signature[1..])),
            ("position moved", Query(url, "oldest", 5, otherPosition + "." + signature)),
            ("position spelt otherwise", Query(url, "oldest", 5, position + "=." + signature)),
            ("another thread's", Query(other, "oldest", 5, valid)),
            ("another order's", Query(url, "newest", 5, valid)),
            ("another page size's", Query(url, "oldest", 6, valid)),
            ("huge", Query(url, "oldest", 5, new string('A', 5000) + "." + signature)),
        };
        foreach (var (what, query) in refused)
        {
            app.Meter.Start();
            using var response = await _client.GetAsync($"/api/v1/sites/{site}/thread" + query);
            var commands = app.Meter.Stop();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"A {what} cursor got {(int)response.StatusCode}");
            var problem = await response.ProblemAsync();
            Assert.True(problem.GetProperty("errors").TryGetProperty("cursor", out _), what);
            Assert.DoesNotContain(commands, c => c.Sql.Contains("\"Comments\"") || c.Sql.Contains("\"Thread"));
        }
        using var noScript = await _client.GetAsync($"/embed/{site}/thread?url={Uri.EscapeDataString(url)}&cursor=not-a-cursor");
        Assert.Equal(HttpStatusCode.BadRequest, noScript.StatusCode);
    }

    [Theory]
    [InlineData("best")]
    [InlineData("oldest")]
    [InlineData("newest")]
    public async Task TheCursorsHandedOutPageThroughTheWholeThread(string sort)
    {
        var site = await app.CreateSiteAsync();
        var url = await ThreadOfAsync(site, 22);
        var reply = await _client.CommentAsync(site, url, "A reply travels with its comment",
            parentId: (await _client.ThreadAsync(site, url)).GetProperty("comments")[0].Id());
        var seen = new List<long>();
        string? cursor = null;
        for (var pages = 0; pages < 20; pages++)
        {
            var page = await _client.ThreadAsync(site, url, Paging(sort, 4, cursor));
            seen.AddRange(page.GetProperty("comments").EnumerateArray().Select(c => c.Id()));
            cursor = page.GetProperty("nextCursor").GetString();
            if (cursor is null)
            {
                break;
            }
        }
        Assert.Null(cursor);
        Assert.Equal(24, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Contains(reply.Id(), seen);
    }

    [SqliteTheory("it counts SQLite's virtual-machine steps")]
    [InlineData("best")]
    [InlineData("oldest")]
    [InlineData("newest")]
    public async Task APageOfAThreadOfThousandsCostsWhatAPageOfAThreadOfDozensCosts(string sort)
    {
        var site = await app.CreateSiteAsync();
        var small = await ThreadOfAsync(site, 60);
        var big = await ThreadOfAsync(site, 4000);
        foreach (var url in new[] { small, big })
        {
            // The first page of each pays for compiling the queries; the measured reads come after.
            await _client.ThreadAsync(site, url, $"&sort={sort}&limit=9");
        }

        var firstSmall = await CostOfAsync(site, small, sort, 10, null);
        var firstBig = await CostOfAsync(site, big, sort, 10, null);
        var laterSmall = await CostOfAsync(site, small, sort, 10, await NextCursorAsync(site, small, sort, 10));
        var laterBig = await CostOfAsync(site, big, sort, 10, await NextCursorAsync(site, big, sort, 10));

        Assert.True(firstBig.Steps <= firstSmall.Steps * 5 / 4, $"First page: {firstBig.Steps} steps on the big thread, {firstSmall.Steps} on the small one");
        Assert.True(laterBig.Steps <= laterSmall.Steps * 5 / 4, $"Second page: {laterBig.Steps} steps on the big thread, {laterSmall.Steps} on the small one");
        Assert.All(new[] { firstSmall, firstBig, laterSmall, laterBig }, cost => Assert.InRange(cost.Queries, 1, 6));
    }
}
