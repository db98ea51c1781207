using System.Text.Json;
using Hearth.Conversations;
using Hearth.Portability;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Portability;

public class DisqusImportTests(HearthApp app) : IClassFixture<HearthApp>
{
    const string PageOne = "https://blog.example/posts/one?page=2";
    const string PageTwo = "https://blog.example/two";

    [Fact]
    public async Task EveryElementOfTheExportArrivesAsHearthWouldHaveStoredIt()
    {
        var site = await app.CreateSiteAsync();
        var summary = await app.ImportAsync(site, DisqusFiles.Everything);

        Assert.Equal((2, 0, 7L, 1L, 0L), (summary.ThreadsCreated, summary.ThreadsMatched, summary.CommentsImported, summary.Tombstones, summary.AlreadyPresent));
        Assert.Equal(new Dictionary<string, long> { ["deleted"] = 1, ["deleted thread"] = 1, ["no thread"] = 1, ["thread without address"] = 1 },
            summary.Skipped);

        var client = app.CreateClient();
        // The tracking parameter is gone from the key; the map moved the page to the new host.
        var one = await client.ThreadAsync(site, PageOne + "&utm_medium=x");
        Assert.Equal("Post one", one.GetProperty("thread").GetProperty("title").GetString());
        Assert.Equal(3, one.GetProperty("thread").GetProperty("commentCount").GetInt32());
        Assert.False(one.GetProperty("thread").GetProperty("locked").GetBoolean());
        var comments = one.GetProperty("comments").EnumerateArray().ToDictionary(c => c.GetProperty("author").GetProperty("name").GetString() + ":" + c.GetProperty("createdAt").GetString());
        var first = comments["Anna Early:2012-01-02T10:00:00Z"];
        var second = comments["Bo Answer:2012-01-02T11:00:00Z"];
        var third = comments["Anna Early:2012-01-02T12:00:00Z"];
        Assert.Equal(JsonValueKind.Null, first.GetProperty("parentId").ValueKind);
        Assert.Equal(first.Id(), second.GetProperty("parentId").GetInt64());
        Assert.Equal(second.Id(), third.GetProperty("parentId").GetInt64());
        var html = first.GetProperty("html").GetString()!;
        Assert.Contains("Hello &amp; world 👋", html);
        Assert.DoesNotContain("script", html);
        Assert.DoesNotContain("boom", html);
        Assert.Equal("<p>Second: 1 &lt; 2 🎉 ünïcødé</p>", second.GetProperty("html").GetString());

        var two = await client.ThreadAsync(site, PageTwo, "&identifier=page-two");
        Assert.True(two.GetProperty("thread").GetProperty("locked").GetBoolean());
        Assert.Equal(1, two.GetProperty("thread").GetProperty("commentCount").GetInt32());
        var shown = two.GetProperty("comments").EnumerateArray().ToList();
        Assert.Equal(2, shown.Count);
        var tombstone = shown.Single(c => c.GetProperty("status").GetString() == "deleted");
        Assert.Equal("", tombstone.GetProperty("html").GetString());
        var answer = shown.Single(c => c.GetProperty("status").GetString() == "published");
        Assert.Equal(tombstone.Id(), answer.GetProperty("parentId").GetInt64());
        var links = answer.GetProperty("html").GetString()!;
        Assert.DoesNotContain("javascript", links);
        Assert.DoesNotContain("onclick", links);
        Assert.Contains("href=\"https://ok.example/\"", links);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var keys = scope.ServiceProvider.GetRequiredService<InstanceKey>();
        var stored = await db.Comments.AsNoTracking().Where(c => db.Sites.Any(s => s.Id == c.SiteId && s.Name == site)).ToListAsync();
        var anna = stored.First(c => c.ImportId == "101");
        Assert.Equal("anna@example.com", anna.Author.Email);
        Assert.Equal(AuthorKind.Guest, anna.Author.Kind);
        // The key a guest posting as Anna with that address gets, so she can claim what she wrote before.
        Assert.Equal(PostComment.GuestKey(keys, "Anna Early", "anna@example.com"), anna.Author.Key);
        Assert.All(stored, c => Assert.Null(c.IpHash));
        Assert.All(stored, c => Assert.Equal("disqus", c.ImportSource));
        Assert.Equal(CommentStatus.Spam, stored.Single(c => c.ImportId == "204").Status);
        Assert.Equal(CommentStatus.Pending, stored.Single(c => c.ImportId == "104").Status);
        var dead = stored.Single(c => c.ImportId == "201");
        Assert.Equal((CommentStatus.Deleted, "", "", ""), (dead.Status, dead.Source, dead.Author.Name, dead.Author.Key));
        Assert.Null(dead.Author.Email);

        var people = await db.People.AsNoTracking().Where(p => p.SiteId == anna.SiteId).ToDictionaryAsync(p => p.Name);
        Assert.Equal(["Anna Early", "Bo Answer", "Cy", "Pat Pending", "Spammer"], people.Keys.Order());
        Assert.Equal((2, 2, 1, 1, 1), (people["Anna Early"].Comments, people["Anna Early"].Approved, people["Anna Early"].RepliesGiven,
            people["Anna Early"].RepliesReceived, people["Anna Early"].DaysActive));
        Assert.Equal((1, 1, 1, 1), (people["Bo Answer"].Comments, people["Bo Answer"].Approved, people["Bo Answer"].RepliesGiven, people["Bo Answer"].RepliesReceived));
        Assert.Equal((1, 0), (people["Spammer"].Comments, people["Spammer"].Approved));

        // One entry per thread in the log, none per comment.
        var events = await db.ThreadEvents.AsNoTracking().Where(e => e.SiteId == anna.SiteId).ToListAsync();
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal((ThreadEvent.Imported, ThreadEvent.NoComment), (e.Type, e.CommentId)));
        Assert.Equal(0, await db.ImportRows.CountAsync());
        Assert.Empty(ImportRunner.StagingFiles(app));
    }

    [Fact]
    public async Task ImportingAgainAddsNothingAndAnImportMergesWithoutTouchingWhatWasThere()
    {
        var site = await app.CreateSiteAsync();
        var client = app.CreateClient();
        var before = await client.CommentAsync(site, PageOne, "Written here before the import", name: "Local Lou");
        // The page is read, so its page is cached: the import must drop it.
        Assert.Equal(1, (await client.ThreadAsync(site, PageOne)).GetProperty("thread").GetProperty("commentCount").GetInt32());
        var untouched = await app.InDatabaseAsync(db => db.Comments.AsNoTracking().SingleAsync(c => c.Id == before.Id()));

        var summary = await app.ImportAsync(site, DisqusFiles.Everything);

        Assert.Equal((1, 1, 7L), (summary.ThreadsCreated, summary.ThreadsMatched, summary.CommentsImported));
        var thread = await client.ThreadAsync(site, PageOne);
        Assert.Equal(4, thread.GetProperty("thread").GetProperty("commentCount").GetInt32());
        Assert.Equal(4, thread.GetProperty("comments").GetArrayLength());
        // The thread made by the post keeps its (absent) title: a thread that exists is only added to.
        Assert.Equal(JsonValueKind.Null, thread.GetProperty("thread").GetProperty("title").ValueKind);
        var after = await app.InDatabaseAsync(db => db.Comments.AsNoTracking().SingleAsync(c => c.Id == before.Id()));
        Assert.Equivalent(untouched, after, strict: true);
        var footprint = await app.FootprintAsync();

        var again = await app.ImportAsync(site, DisqusFiles.Everything);

        Assert.Equal((0, 2, 0L, 7L), (again.ThreadsCreated, again.ThreadsMatched, again.CommentsImported, again.AlreadyPresent));
        var afterAgain = await app.FootprintAsync();
        // Only the log moved (one entry per thread the second run looked at): no comment, count or person changed.
        Assert.Equal(footprint.Split(' ')[..3], afterAgain.Split(' ')[..3]);
        Assert.Equal(footprint.Split(' ')[^1], afterAgain.Split(' ')[^1]);
    }

    [Fact]
    public async Task ADryRunTellsWhatWouldHappenAndWritesNothing()
    {
        var site = await app.CreateSiteAsync();
        var footprint = await app.FootprintAsync();

        var dry = await app.ImportAsync(site, DisqusFiles.Everything, dryRun: true);

        Assert.Equal(footprint, await app.FootprintAsync());
        var real = await app.ImportAsync(site, DisqusFiles.Everything);
        Assert.True(dry.DryRun);
        Assert.Equal((real.ThreadsCreated, real.ThreadsMatched, real.CommentsImported, real.Tombstones, real.AlreadyPresent),
            (dry.ThreadsCreated, dry.ThreadsMatched, dry.CommentsImported, dry.Tombstones, dry.AlreadyPresent));
        Assert.Equal(real.Skipped, dry.Skipped);
        Assert.Contains("Dry run", dry.Lines().First());
        var again = await app.ImportAsync(site, DisqusFiles.Everything, dryRun: true);
        Assert.Equal((0L, 7L), (again.CommentsImported, again.AlreadyPresent));
    }

    [Fact]
    public async Task WithoutTheMapThePageKeepsItsOldAddress()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example", "https://old.example"]);
        await app.ImportAsync(site, DisqusFiles.Everything, map: new UrlMap());
        var old = await app.CreateClient().ThreadAsync(site, "https://old.example/posts/one?page=2");
        Assert.Equal(3, old.GetProperty("thread").GetProperty("commentCount").GetInt32());
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("dtd")]
    [InlineData("not disqus")]
    public async Task AFileThatCannotBeReadStopsTheImportWithItsLineAndLeavesTheDatabaseAsItWas(string which)
    {
        var site = await app.CreateSiteAsync();
        var footprint = await app.FootprintAsync();
        var (file, words) = which switch
        {
            "truncated" => (DisqusFiles.Truncated, "not well-formed"),
            "dtd" => (DisqusFiles.BillionLaughs, "DTD"),
            _ => ("<?xml version=\"1.0\"?>\n<rss><channel /></rss>", "not a Disqus export"),
        };

        var refused = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, file));

        Assert.Contains(words, refused.Message);
        Assert.True(refused.Line > 0, refused.Message);
        Assert.Contains($"(line {refused.Line}, position {refused.Position})", refused.Message);
        Assert.Equal(footprint, await app.FootprintAsync());
    }

    [Fact]
    public async Task ALongChainListedFromItsEndIsRebuiltWithinTheReplyDepthLimit()
    {
        var site = await app.CreateSiteAsync();
        var summary = await app.ImportAsync(site, DisqusFiles.Chain("chain-" + site, 300));

        Assert.Equal(300, summary.CommentsImported);
        var deepest = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HearthOptions>>().Value.MaxReplyDepth;
        var comments = await app.InDatabaseAsync(db => db.Comments.AsNoTracking()
            .Where(c => db.Sites.Any(s => s.Id == c.SiteId && s.Name == site)).ToDictionaryAsync(c => c.ImportId!));
        Assert.Equal(deepest, comments.Values.Max(c => c.Depth));
        Assert.Null(comments["c1"].ParentId);
        for (var i = 2; i <= 300; i++)
        {
            var reply = comments[$"c{i}"];
            var answered = comments[$"c{i - 1}"];
            // Below the limit a reply hangs under what it answers; at the limit it sits beside it and says whom it answers.
            Assert.Equal(answered.Id, reply.ReplyToId ?? reply.ParentId);
            Assert.Equal(comments["c1"].Id, reply.RootId);
            Assert.True(reply.Depth <= deepest);
        }
    }

    [Fact]
    public async Task TwoThreadsOfTheFileForOnePageBecomeOneWithTheFirstOnesTitle()
    {
        var site = await app.CreateSiteAsync();
        const string file = """
            <?xml version="1.0" encoding="utf-8"?>
            <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
              <thread dsq:id="t1"><id></id><link>https://blog.example/twice?utm_source=feed</link><title>Listed first</title></thread>
              <thread dsq:id="t2"><id></id><link>https://blog.example/twice</link><title>Listed second</title><isClosed>true</isClosed></thread>
              <post dsq:id="p1"><message>On the first</message><createdAt>2014-05-06T07:08:09Z</createdAt><author><name>Ada</name></author><thread dsq:id="t1" /></post>
              <post dsq:id="p2"><message>On the second</message><createdAt>2014-05-06T08:08:09Z</createdAt><author><name>Bea</name></author><thread dsq:id="t2" /></post>
            </disqus>
            """;

        var summary = await app.ImportAsync(site, file, map: new());

        Assert.Equal((1, 0, 2L), (summary.ThreadsCreated, summary.ThreadsMatched, summary.CommentsImported));
        var thread = (await app.CreateClient().ThreadAsync(site, "https://blog.example/twice")).GetProperty("thread");
        Assert.Equal("Listed first", thread.GetProperty("title").GetString());
        Assert.False(thread.GetProperty("locked").GetBoolean());
        Assert.Equal(2, thread.GetProperty("commentCount").GetInt32());
    }
}
