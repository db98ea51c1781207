using System.Text;
using Hearth.Conversations;
using Hearth.Portability;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hearth.Tests.Portability;

/// <summary>
/// A deleted comment of an import stays only as the place a live reply somewhere below it hangs from. Finding which
/// ones stay once took a statement reading every staged comment for each deleted comment of the longest chain: a file of
/// one long chain of deleted replies cost its length times its size, each statement a turn at the write gate, in a dry
/// run too. The work now grows with the file, whatever shape its chains have.
/// </summary>
public class DeletedChainImportTests(MeasuredHearthApp app) : IClassFixture<MeasuredHearthApp>
{
    /// <summary>A Disqus export of one page whose posts are listed as given: each with the post it answers, if any.</summary>
    static string Disqus(string page, IEnumerable<(string Id, string? Parent, bool Deleted)> posts)
    {
        var file = new StringBuilder("""
            <?xml version="1.0" encoding="utf-8"?>
            <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
            """);
        file.Append($"""<thread dsq:id="{page}"><id></id><link>https://blog.example/{page}</link><title>Page</title></thread>""").Append('\n');
        foreach (var (id, parent, deleted) in posts)
        {
            file.Append($"""<post dsq:id="{id}"><message>Words of {id}</message><createdAt>2015-01-01T00:00:00Z</createdAt>""")
                .Append($"""<author><name>Person {id}</name></author><thread dsq:id="{page}" />""")
                .Append(parent is null ? "" : $"""<parent dsq:id="{parent}" />""")
                .Append($"<isDeleted>{(deleted ? "true" : "false")}</isDeleted></post>\n");
        }
        return file.Append("</disqus>").ToString();
    }

    /// <summary>Posts p1 to pN, each answering the one before, the first answering <paramref name="under"/>.</summary>
    static IEnumerable<(string Id, string? Parent, bool Deleted)> Chain(string prefix, int length, bool deleted, string? under = null) =>
        Enumerable.Range(1, length).Select(i => ($"{prefix}{i}", i == 1 ? under : $"{prefix}{i - 1}", deleted));

    Task<Dictionary<string, Comment>> StoredAsync(string site) => app.InDatabaseAsync(db => db.Comments.AsNoTracking()
        .Where(c => db.Sites.Any(s => s.Id == c.SiteId && s.Name == site)).ToDictionaryAsync(c => c.ImportId!));

    async Task<long> StepsOfADryRunAsync(int length, bool liveReplyAtTheBottom)
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var posts = Chain("d", length, deleted: true).ToList();
        if (liveReplyAtTheBottom)
        {
            posts.Add(("live", $"d{length}", false));
        }
        var file = Disqus("chain", posts);

        app.Meter.Start();
        var summary = await app.ImportAsync(site, file, dryRun: true, map: new());
        var commands = app.Meter.Stop();

        Assert.Equal(liveReplyAtTheBottom ? length + 1 : 0, summary.CommentsImported);
        Assert.Equal(liveReplyAtTheBottom ? 0 : length, summary.Skipped.GetValueOrDefault("deleted"));
        return commands.Sum(c => c.Steps);
    }

    [SqliteTheory("the steps of a query are SQLite's count; PostgreSQL has none")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TenTimesTheChainOfDeletedRepliesTakesAboutTenTimesTheSteps(bool liveReplyAtTheBottom)
    {
        var few = await StepsOfADryRunAsync(50, liveReplyAtTheBottom);
        var many = await StepsOfADryRunAsync(500, liveReplyAtTheBottom);

        Assert.True(few > 0);
        // Reading every staged comment once per link of the chain made it about a hundred times.
        Assert.True(many < few * 15, $"{few} steps for a chain of 50, {many} for 500");
    }

    /// <summary>Statements the resolution of a staged run of two chains sends, with or without another run's rows between its halves.</summary>
    async Task<int> ResolutionStatementsAsync(bool anotherRunBetween)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var run = Guid.NewGuid().ToString();
        var other = Guid.NewGuid().ToString();
        var at = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        ImportRow Row(string id, string? parent, bool deleted) => new()
        {
            RunId = run, Kind = ImportRow.CommentKind, SourceId = id, ThreadSourceId = "t", ParentSourceId = parent, CreatedAt = at,
            Status = deleted ? nameof(CommentStatus.Deleted) : nameof(CommentStatus.Published),
        };
        // Each half holds a chain of live replies and one of deleted ones: every round, and every step up the deleted
        // chains, has rows at both ends of the run.
        IEnumerable<ImportRow> Half(string name) => Chain($"{name}live", 40, deleted: false).Concat(Chain($"{name}dead", 40, deleted: true))
            .Select(p => Row(p.Id, p.Parent, p.Deleted));
        db.ImportRows.Add(new ImportRow { RunId = run, Kind = ImportRow.ThreadKind, SourceId = "t", CreatedAt = at });
        db.ImportRows.AddRange(Half("a"));
        await db.SaveChangesAsync();
        if (anotherRunBetween)
        {
            // More rows than one range of ids holds.
            await db.Database.ExecuteSqlRawAsync("""
                WITH RECURSIVE "n"("i") AS (SELECT 1 UNION ALL SELECT "i" + 1 FROM "n" WHERE "i" < 45000)
                INSERT INTO "ImportRows" ("RunId", "Kind", "SourceId", "Closed", "CreatedAt")
                SELECT {0}, 'C', 'f' || CAST("i" AS VARCHAR(10)), FALSE, {1} FROM "n"
                """, other, at);
        }
        db.ImportRows.AddRange(Half("b"));
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        app.Meter.Start();
        var resolution = new ImportResolution(db, scope.ServiceProvider.GetRequiredService<WriteGate>(),
            scope.ServiceProvider.GetRequiredService<IOptions<HearthOptions>>());
        await resolution.RunAsync(run, CancellationToken.None);
        var commands = app.Meter.Stop().Count(c => c.Sql.Contains("\"ImportRows\"", StringComparison.Ordinal));

        var kept = await db.ImportRows.Where(r => r.RunId == run && r.Kind == ImportRow.CommentKind)
            .GroupBy(r => r.Skip).Select(g => new { Skip = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Skip ?? "", g => g.Count);
        Assert.Equal(new Dictionary<string, int> { [""] = 80, ["deleted"] = 80 }, kept);
        await db.ImportRows.Where(r => r.RunId == run || r.RunId == other).ExecuteDeleteAsync();
        return commands;
    }

    [Fact]
    public async Task RowsOfAnotherRunBetweenTheEndsOfARunAddNoStatementForEachRoundOfItsResolution()
    {
        var together = await ResolutionStatementsAsync(anotherRunBetween: false);
        var apart = await ResolutionStatementsAsync(anotherRunBetween: true);

        // The steps over the whole run go a range of ids at a time, so the gap adds a statement or two to each of them;
        // it adds none to each of the 40 rounds and steps up the chains, as it did when a round went by ranges of ids.
        Assert.True(apart <= together + 20, $"{together} statements for the run in one piece, {apart} with another run between its halves");
    }

    [Fact]
    public async Task EveryDeletedCommentAboveALiveReplyStaysAsATombstoneHoweverLongTheChain()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var file = Disqus("above", Chain("d", 30, deleted: true).Append(("live", "d30", false)));

        var summary = await app.ImportAsync(site, file, map: new());

        Assert.Equal(31, summary.CommentsImported);
        Assert.Empty(summary.Skipped);
        var stored = await StoredAsync(site);
        Assert.Equal(31, stored.Count);
        Assert.All(Enumerable.Range(1, 30), i => Assert.Equal(CommentStatus.Deleted, stored[$"d{i}"].Status));
        var live = stored["live"];
        Assert.Equal(CommentStatus.Published, live.Status);
        Assert.Equal(stored["d30"].Id, live.ReplyToId ?? live.ParentId);
        Assert.Equal(stored["d1"].Id, live.RootId);
    }

    [Fact]
    public async Task AChainOfDeletedCommentsWithNoLiveReplyBelowLeavesNothing()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        // Listed from its end, and as one long chain: neither the order nor the length matters.
        var file = Disqus("nothing", Chain("d", 30, deleted: true).Reverse());

        var summary = await app.ImportAsync(site, file, map: new());

        Assert.Equal(0, summary.CommentsImported);
        Assert.Equal(new Dictionary<string, long> { ["deleted"] = 30 }, summary.Skipped);
        Assert.Empty(await StoredAsync(site));
    }

    [Fact]
    public async Task OnlyTheBranchesOfDeletedCommentsThatEndInALiveReplyStay()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        (string, string?, bool)[] posts =
        [
            // A deleted comment with three branches: one ends in a live reply, one does not, one has both.
            ("root", null, true),
            .. Chain("a", 3, deleted: true, under: "root"), ("alive", "a3", false),
            .. Chain("b", 3, deleted: true, under: "root"),
            ("c", "root", true), ("calive", "c", false), .. Chain("cdead", 2, deleted: true, under: "c"),
            // Deleted replies under a live comment go; so does a deleted top-level comment whose replies are all deleted.
            ("live", null, false), .. Chain("under", 2, deleted: true, under: "live"),
            ("top", null, true), ("topreply", "top", true),
            // Two comments answering each other have no place in a tree; a deleted reply to them with nothing below
            // goes as deleted, one with a live reply is as much in the loop as they are.
            ("loop1", "loop2", false), ("loop2", "loop1", false), ("loopdead", "loop1", true),
            ("loopkept", "loop2", true), ("loopreply", "loopkept", false),
        ];
        // Replies before what they answer, as a file may list them.
        var file = Disqus("branches", Enumerable.Reverse(posts));

        var summary = await app.ImportAsync(site, file, map: new());

        Assert.Equal(8, summary.CommentsImported);
        Assert.Equal(new Dictionary<string, long> { ["deleted"] = 10, ["reply loop"] = 4 }, summary.Skipped);
        var stored = await StoredAsync(site);
        Assert.Equal(["a1", "a2", "a3", "alive", "c", "calive", "live", "root"], stored.Keys.Order());
        Assert.Equal(["a1", "a2", "a3", "c", "root"], stored.Values.Where(c => c.Status == CommentStatus.Deleted).Select(c => c.ImportId).Order());
        Assert.Equal(stored["a3"].Id, stored["alive"].ReplyToId ?? stored["alive"].ParentId);
        Assert.Equal(stored["c"].Id, stored["calive"].ReplyToId ?? stored["calive"].ParentId);
    }

    [Fact]
    public async Task AHearthExportsDeletedCommentsStayOnlyAboveALiveReply()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        // 1 <- 2 <- 3 (live), and 1 <- 4 <- 5: all deleted but 3.
        static string Comment(int id, int? parent, string status) =>
            $$"""{"id":{{id}},"threadId":1,"parentId":{{parent?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}},"status":"{{status}}","author":{"name":"{{(status == "deleted" ? "" : "Ann")}}"},"html":"{{(status == "deleted" ? "" : "<p>Still here</p>")}}","createdAt":"2026-01-02T08:00:00Z"}""";
        var file = $$"""
            {"format":"hearth-export","version":1,"exportedAt":"2026-12-03T23:00:00Z",
             "threads":[{"id":1,"key":"u:https://blog.example/json","url":"https://blog.example/json","identifier":null,"title":"Json","locked":false,"commentCount":1,"createdAt":"2026-01-02T08:00:00Z"}],
             "comments":[{{string.Join(",", Comment(5, 4, "deleted"), Comment(3, 2, "published"), Comment(4, 1, "deleted"), Comment(2, 1, "deleted"), Comment(1, null, "deleted"))}}]}
            """;

        var summary = await app.ImportAsync(site, file, format: "hearth");

        Assert.Equal(3, summary.CommentsImported);
        Assert.Equal(new Dictionary<string, long> { ["deleted"] = 2 }, summary.Skipped);
        var stored = await StoredAsync(site);
        Assert.Equal([("1", CommentStatus.Deleted), ("2", CommentStatus.Deleted), ("3", CommentStatus.Published)],
            stored.Values.Select(c => (c.ImportId!, c.Status)).Order());
    }
}
