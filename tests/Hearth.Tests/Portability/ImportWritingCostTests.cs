using System.Globalization;
using System.Text.RegularExpressions;
using Hearth.Conversations;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Portability;

/// <summary>
/// Each chunk of an import counts its comments into their threads with one statement, however many threads the chunk
/// spans: a statement per thread made that count a quarter of a large import's time.
/// </summary>
public class ImportWritingCostTests(MeasuredHearthApp app) : IClassFixture<MeasuredHearthApp>
{
    async Task<int> ThreadUpdatesAsync(string prefix, int threads)
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        app.Meter.Start();
        var summary = await app.ImportAsync(site, DisqusFiles.Many(prefix, threads, 2), map: new());
        var commands = app.Meter.Stop();
        Assert.Equal(threads * 2, summary.CommentsImported);
        return commands.Sum(c => Regex.Count(c.Sql, """UPDATE "Threads" SET "CommentCount" """));
    }

    [SqliteFact("the commands are counted by an interceptor of SQLite's connections")]
    public async Task TenTimesTheThreadsSendTheSameStatementsToCountThem()
    {
        var few = await ThreadUpdatesAsync("few", 30);
        var many = await ThreadUpdatesAsync("many", 300);

        // One chunk for the first comments of the pages, one for their replies.
        Assert.Equal(2, few);
        Assert.Equal(few, many);
    }

    [Fact]
    public async Task EachThreadCountsItsPublicCommentsAndKeepsTheNewerOfItsOwnAndTheFilesLast()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var client = app.CreateClient();
        // A comment of the site itself, newer than any in the file (2016), on the file's first page.
        await client.CommentAsync(site, "https://blog.example/own/0", "Written here, after the old system", name: "Here Now");
        var own = app.Clock.GetUtcNow().UtcDateTime;

        await app.ImportAsync(site, DisqusFiles.Many("own", 12, 5), map: new());

        var threads = await app.InDatabaseAsync(db => db.Threads.AsNoTracking()
            .Where(t => db.Sites.Any(s => s.Id == t.SiteId && s.Name == site))
            .Select(t => new
            {
                t.Url, t.CommentCount, t.LastCommentAt,
                Counted = db.Comments.Count(c => c.ThreadId == t.Id && c.Status == CommentStatus.Published),
                Newest = db.Comments.Where(c => c.ThreadId == t.Id && c.Status == CommentStatus.Published).Max(c => (DateTime?)c.CreatedAt),
            }).ToListAsync());
        Assert.Equal(12, threads.Count);
        Assert.All(threads, t => Assert.Equal(t.Counted, t.CommentCount));
        Assert.All(threads, t => Assert.Equal(t.Newest, t.LastCommentAt));
        var first = Assert.Single(threads, t => t.Url == "https://blog.example/own/0");
        Assert.Equal(6, first.CommentCount);
        Assert.Equal(own, first.LastCommentAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.All(threads.Where(t => t != first), t => Assert.Equal(new DateTime(2016, 2, 3, 4, 5, 6, DateTimeKind.Utc), t.LastCommentAt));
    }

    [Fact]
    public async Task TheIndexesOnlyThePostingChecksReadHoldNoImportedComment()
    {
        // Each imported comment was a random place in each of them: writing those places was half of an import's writing.
        var definitions = await app.InDatabaseAsync(db => db.Database.IsNpgsql()
            ? db.Database.SqlQueryRaw<string>("""
                SELECT "indexdef" AS "Value" FROM pg_indexes WHERE "indexname" IN ('IX_Comments_SiteId_WordsHash_CreatedAt', 'IX_Comments_ThreadId_BodyHash_CreatedAt')
                """).ToListAsync()
            : db.Database.SqlQueryRaw<string>("""
                SELECT "sql" AS "Value" FROM sqlite_master WHERE "name" IN ('IX_Comments_SiteId_WordsHash_CreatedAt', 'IX_Comments_ThreadId_BodyHash_CreatedAt')
                """).ToListAsync());

        Assert.Equal(2, definitions.Count);
        Assert.All(definitions, d => Assert.Matches("""WHERE \(?"?ImportSource"? IS NULL\)?$""", d));
    }

    [Fact]
    public async Task ANewPostIsNotHeldAsARunOfWordsOnlyImportedCommentsSaid()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        const string words = "Our garden club meets every second Tuesday at the old library on Mill Road";
        var hourAgo = app.Clock.GetUtcNow().UtcDateTime.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        // Said yesterday on two pages under two names in the old system, within the day the spam-run check looks back.
        var file = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
            <thread dsq:id="club1"><id></id><link>https://blog.example/club/1</link><title>One</title></thread>
            <thread dsq:id="club2"><id></id><link>https://blog.example/club/2</link><title>Two</title></thread>
            <post dsq:id="club1c"><message>{words}</message><createdAt>{hourAgo}</createdAt><author><name>Ann Old</name></author><thread dsq:id="club1" /></post>
            <post dsq:id="club2c"><message>{words}</message><createdAt>{hourAgo}</createdAt><author><name>Ben Old</name></author><thread dsq:id="club2" /></post>
            </disqus>
            """;
        Assert.Equal(2, (await app.ImportAsync(site, file, map: new())).CommentsImported);

        var post = await app.CreateClient().CommentAsync(site, "https://blog.example/club/3", words, name: "Cy New");

        Assert.Equal("published", post.GetProperty("status").GetString());
        // Two posts of the same words here make the run as before.
        await app.CreateClient().CommentAsync(site, "https://blog.example/club/4", words, name: "Di New");
        var third = await app.CreateClient().CommentAsync(site, "https://blog.example/club/5", words, name: "Ed New");
        Assert.NotEqual("published", third.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AnImportedCommentIsNeverTakenForTheTwinOfANewPost()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        const string words = "The bridge over the river was repainted green last spring";
        var minuteAgo = app.Clock.GetUtcNow().UtcDateTime.AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        // The same guest (name, no address) said the same words on the page a minute ago, in the old system.
        var file = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
            <thread dsq:id="bridge"><id></id><link>https://blog.example/bridge</link><title>Bridge</title></thread>
            <post dsq:id="bridge1"><message>{words}</message><createdAt>{minuteAgo}</createdAt><author><name>Fay</name></author><thread dsq:id="bridge" /></post>
            </disqus>
            """;
        Assert.Equal(1, (await app.ImportAsync(site, file, map: new())).CommentsImported);
        var client = app.CreateClient();

        using var first = await client.PostCommentAsync(site, new { url = "https://blog.example/bridge", body = words, author = new { name = "Fay" } });
        using var again = await client.PostCommentAsync(site, new { url = "https://blog.example/bridge", body = words, author = new { name = "Fay" } });

        // A new comment, not the imported one given back; the same words sent again here are the twin, as before.
        Assert.Equal(System.Net.HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, again.StatusCode);
        var comments = await app.InDatabaseAsync(db => db.Comments.Where(c => db.Threads.Any(t => t.Id == c.ThreadId && t.Url == "https://blog.example/bridge"
            && db.Sites.Any(s => s.Id == t.SiteId && s.Name == site))).Select(c => c.ImportSource).ToListAsync());
        Assert.Equal(2, comments.Count);
        Assert.Single(comments, source => source == null);
    }
}
