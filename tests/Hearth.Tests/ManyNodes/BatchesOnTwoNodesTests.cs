using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Storage;
using Hearth.Tests.Moderation;
using Hearth.Tests.Portability;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.ManyNodes;

/// <summary>Node A's database commands can be held half-way.</summary>
public sealed class TwoNodesOneHeld : TwoNodes
{
    public HoldAfterStatement Hold { get; } = new();

    protected override Action<IServiceCollection>? ServicesOfA =>
        services => services.ConfigureDbContext<PostgresHearthDb>(db => db.AddInterceptors(Hold));
}

/// <summary>
/// Two nodes' batches of posts that share a person and a new page. Node A's batch holds Xena's record (her post stored)
/// and has yet to start the new page; node B's post, Xena's first word on that page, comes meanwhile. Had each batch
/// taken its locks as its posts came to them, B would hold the page and wait for Xena's record, A would wait for the
/// page, and PostgreSQL would end one of them. Each batch takes its pages, threads and people first, in one order, so B
/// waits for A and both are stored at their first attempt.
/// </summary>
[Collection(TwoNodes.Collection)]
public sealed class BatchesOnTwoNodesTests(TwoNodesOneHeld nodes) : IClassFixture<TwoNodesOneHeld>
{
    const string PersonUpsert = "INSERT INTO \"People\"";

    [PostgresFact("waits between nodes' transactions are PostgreSQL's; SQLite writes one transaction at a time")]
    public async Task BatchesSharingAPersonAndANewPageTakeTurnsWithoutADeadlock()
    {
        var site = await nodes.A.CreateSiteAsync();
        var (busy, fresh) = (ApiCalls.NewPageUrl(), ApiCalls.NewPageUrl());
        await nodes.A.CreateClient().CommentAsync(site, busy, "The first word on the busy page.", name: "Opening Olga");

        // A's batch: Xena on the busy page, then Yannick opening a new page; held once Xena's record is changed. B: Xena
        // on that new page too.
        var answers = await WhileABatchOfTwoIsHeldOnAAsync(site, busy,
            new { url = busy, body = "Xena's word on the busy page, about the harbour lights.", author = new { name = "Xena" } },
            new { url = fresh, body = "Yannick opens the new page with a question about tides.", author = new { name = "Yannick" } },
            () => nodes.B.CreateClient().PostCommentAsync(site, new { url = fresh, body = "Xena on the new page too, from the other node, about ferries.", author = new { name = "Xena" } }));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.Created, answer.StatusCode));
        var siteId = await nodes.A.InDatabaseAsync(db => db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync());
        var threads = await nodes.A.InDatabaseAsync(db => db.Threads.Where(t => t.SiteId == siteId).Select(t => t.CommentCount).ToListAsync());
        Assert.Equal([2, 3], threads.Order().ToList());
        Assert.Equal(2, await nodes.A.InDatabaseAsync(db => db.People.Where(p => p.SiteId == siteId && p.Name == "Xena").Select(p => p.Comments).SingleAsync()));
    }

    /// <summary>
    /// The same without a new page: B's post is Yusuf answering Xena, so it changes Yusuf's record and then Xena's, while
    /// A's batch holds Xena's and has Yusuf's to change. Only the persons' locks, taken first and in one order, keep the
    /// two batches from each holding what the other needs.
    /// </summary>
    [PostgresFact("waits between nodes' transactions are PostgreSQL's; SQLite writes one transaction at a time")]
    public async Task BatchesChangingTwoPeoplesRecordsInOppositeOrdersTakeTurnsWithoutADeadlock()
    {
        var site = await nodes.A.CreateSiteAsync();
        var (busy, other, third) = (ApiCalls.NewPageUrl(), ApiCalls.NewPageUrl(), ApiCalls.NewPageUrl());
        var client = nodes.A.CreateClient();
        await client.CommentAsync(site, busy, "The first word on the busy page.", name: "Opening Olga");
        await client.CommentAsync(site, other, "The first word on the other page.", name: "Opening Olga");
        var xenas = (await client.CommentAsync(site, third, "Xena asks on the third page whether the bridge is open.", name: "Xena")).Id();

        var answers = await WhileABatchOfTwoIsHeldOnAAsync(site, busy,
            new { url = busy, body = "Xena's word on the busy page, about the harbour lights.", author = new { name = "Xena" } },
            new { url = other, body = "Yusuf on the other page, about the market on Saturdays.", author = new { name = "Yusuf" } },
            () => nodes.B.CreateClient().PostCommentAsync(site, new { url = third, parentId = xenas, body = "Yusuf answers Xena from the other node: the bridge opens at noon.", author = new { name = "Yusuf" } }));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.Created, answer.StatusCode));
        var siteId = await nodes.A.InDatabaseAsync(db => db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync());
        var xena = await nodes.A.InDatabaseAsync(db => db.People.SingleAsync(p => p.SiteId == siteId && p.Name == "Xena"));
        Assert.Equal((2, 1), (xena.Comments, xena.RepliesReceived));
        Assert.Equal(2, await nodes.A.InDatabaseAsync(db => db.People.Where(p => p.SiteId == siteId && p.Name == "Yusuf").Select(p => p.Comments).SingleAsync()));
    }

    /// <summary>
    /// Not only batches change several people's records: a moderator's decision on many comments changes their authors'
    /// one after another. B approves Yusuf's comment and then Xena's while A's batch holds Xena's record and has Yusuf's
    /// to change (a reply to him). The decision takes its authors' locks after its threads, in the batches' order, so it
    /// waits for A's batch at the start instead of holding Yusuf's record for it.
    /// </summary>
    [PostgresFact("waits between nodes' transactions are PostgreSQL's; SQLite writes one transaction at a time")]
    public async Task ADecisionOnTwoPeoplesCommentsWaitsForABatchHoldingOneOfThemWithoutADeadlock()
    {
        var (site, token) = await nodes.A.SiteWithModeratorAsync();
        var (busy, other, third) = (ApiCalls.NewPageUrl(), ApiCalls.NewPageUrl(), ApiCalls.NewPageUrl());
        var client = nodes.A.CreateClient();
        await client.CommentAsync(site, busy, "The first word on the busy page.", name: "Opening Olga");
        var yusufs = (await client.CommentAsync(site, other, "Yusuf wonders whether the ferry runs on Sundays.", name: "Yusuf")).Id();
        var yusufsHeld = (await client.CommentAsync(site, third, "Yusuf on the third page, about the lighthouse keeper.", name: "Yusuf")).Id();
        var xenasHeld = (await client.CommentAsync(site, third, "Xena on the third page, about the keeper's cat.", name: "Xena")).Id();
        using (var rejected = await client.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/bulk",
            new { ids = new[] { yusufsHeld, xenasHeld }, action = "reject" }))
        {
            Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        }

        var answers = await WhileABatchOfTwoIsHeldOnAAsync(site, busy,
            new { url = busy, body = "Xena's word on the busy page, about the harbour lights.", author = new { name = "Xena" } },
            new { url = other, parentId = yusufs, body = "Zoltan answers Yusuf: the ferry runs at nine on Sundays.", author = new { name = "Zoltan" } },
            () => nodes.B.CreateClient().AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/bulk",
                new { ids = new[] { yusufsHeld, xenasHeld }, action = "approve" }));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.OK], answers.Select(a => a.StatusCode));
        Assert.Equal(2, (await answers[2].Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetInt32());
        var siteId = await nodes.A.InDatabaseAsync(db => db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync());
        var people = await nodes.A.InDatabaseAsync(db => db.People.Where(p => p.SiteId == siteId).ToDictionaryAsync(p => p.Name));
        Assert.Equal((2, 2, 1), (people["Yusuf"].Comments, people["Yusuf"].Approved, people["Yusuf"].RepliesReceived));
        Assert.Equal((2, 2), (people["Xena"].Comments, people["Xena"].Approved));
    }

    /// <summary>
    /// An import cannot take a lock per person (a chunk has thousands), so it can still meet a batch in a deadlock: B's
    /// import adds Yusuf's reply to Xena's imported comment, changing Yusuf's record and then Xena's, while A's batch holds
    /// Xena's and has Yusuf's to change. PostgreSQL ends one of the two, and that one runs again: the import's chunk, or
    /// A's post. Both end stored.
    /// </summary>
    [PostgresFact("waits between nodes' transactions are PostgreSQL's; SQLite writes one transaction at a time")]
    public async Task AnImportMeetingABatchInADeadlockRunsItsChunkAgainAndBothAreStored()
    {
        var site = await nodes.A.CreateSiteAsync();
        var (busy, other) = (ApiCalls.NewPageUrl(), ApiCalls.NewPageUrl());
        var client = nodes.A.CreateClient();
        await client.CommentAsync(site, busy, "The first word on the busy page.", name: "Opening Olga");
        var yusufs = (await client.CommentAsync(site, other, "Yusuf wonders whether the ferry runs on Sundays.", name: "Yusuf")).Id();
        Assert.Equal(1, (await nodes.B.ImportAsync(site, ImportedConversation(withYusufsReply: false))).CommentsImported);

        var (posts, imported) = await WhileABatchOfTwoIsHeldOnAAsync(site, busy,
            new { url = busy, body = "Xena's word on the busy page, about the harbour lights.", author = new { name = "Xena" } },
            new { url = other, parentId = yusufs, body = "Zoltan answers Yusuf: the ferry runs at nine on Sundays.", author = new { name = "Zoltan" } },
            () => nodes.B.ImportAsync(site, ImportedConversation(withYusufsReply: true)), againOnA: true);

        Assert.All(posts, post => Assert.Equal(HttpStatusCode.Created, post.StatusCode));
        Assert.Equal((1, 1), (imported.CommentsImported, imported.AlreadyPresent));
        var siteId = await nodes.A.InDatabaseAsync(db => db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync());
        var people = await nodes.A.InDatabaseAsync(db => db.People.Where(p => p.SiteId == siteId).ToDictionaryAsync(p => p.Name));
        Assert.Equal((2, 1), (people["Yusuf"].Comments, people["Yusuf"].RepliesReceived));
        Assert.Equal((2, 1), (people["Xena"].Comments, people["Xena"].RepliesReceived));
        Assert.Equal(7, await nodes.A.InDatabaseAsync(db => db.Comments.CountAsync(c => c.SiteId == siteId)));
    }

    /// <summary>An old system's page where Xena asked, and (in its later export) Yusuf answered her.</summary>
    static string ImportedConversation(bool withYusufsReply) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
          <thread dsq:id="t1"><id>ferries</id><link>https://blog.example/ferries</link><title>Ferries</title></thread>
          <post dsq:id="p1"><message><![CDATA[<p>Xena asks whether the winter timetable has started.</p>]]></message>
            <createdAt>2016-02-03T04:05:06Z</createdAt><author><name>Xena</name></author><thread dsq:id="t1" /></post>
          {(withYusufsReply ? """
          <post dsq:id="p2"><message><![CDATA[<p>Yusuf answers Xena: it starts in November.</p>]]></message>
            <createdAt>2016-02-04T04:05:06Z</createdAt><author><name>Yusuf</name></author><thread dsq:id="t1" /><parent dsq:id="p1" /></post>
          """ : "")}
        </disqus>
        """;

    /// <summary>
    /// Node A stores <paramref name="first"/> and <paramref name="second"/> in one batch, held once the first has changed
    /// its author's record; meanwhile <paramref name="onB"/> goes to node B and waits. Then A goes on. Every write is
    /// done at its first attempt, A's two posts in one transaction.
    /// </summary>
    async Task<HttpResponseMessage[]> WhileABatchOfTwoIsHeldOnAAsync(string site, string busy, object first, object second,
        Func<Task<HttpResponseMessage>> onB)
    {
        var (posts, answer) = await WhileABatchOfTwoIsHeldOnAAsync(site, busy, first, second, onB, againOnA: false);
        return [.. posts, answer];
    }

    /// <summary>
    /// The same for any write on B. When <paramref name="againOnA"/>, A's batch may be the one PostgreSQL ends to break a
    /// deadlock and run again: which of two waiting transactions it ends depends on which waited its second first.
    /// </summary>
    async Task<(HttpResponseMessage[] Posts, T OnB)> WhileABatchOfTwoIsHeldOnAAsync<T>(string site, string busy, object first, object second,
        Func<Task<T>> onB, bool againOnA)
    {
        var a = nodes.A.CreateClient();
        var commits = nodes.A.Services.GetRequiredService<GroupCommit>();
        var other = nodes.B.Services.GetRequiredService<GroupCommit>();

        // A post held in its batch on A, so that the next two queue behind it and form A's next batch.
        var opening = nodes.Hold.Arm(PersonUpsert);
        var held = a.CommentAsync(site, busy, "Holding the line on the busy page for a moment.", name: "Waiting Wanda");
        await opening.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var firstPost = a.PostCommentAsync(site, first);
        await Nodes.Node.UntilAsync(async () => commits.Waiting == 2, "the first post queued on A");
        var secondPost = a.PostCommentAsync(site, second);
        await Nodes.Node.UntilAsync(async () => commits.Waiting == 3, "the second post queued on A");
        var batch = nodes.Hold.Arm(PersonUpsert);
        opening.Release.SetResult();
        await held;
        var (before, ranBefore, otherRanBefore) = (commits.Committed, commits.RanAgain, other.RanAgain);

        await batch.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var writeOnB = onB();
        await Nodes.Node.UntilAsync(async () => await WaitingOnLocksAsync() >= 1, "B's write waiting for A's batch");
        batch.Release.SetResult();

        var posts = await Task.WhenAll(firstPost, secondPost);
        var answer = await writeOnB;
        if (!againOnA)
        {
            var after = commits.Committed;
            Assert.Equal((1L, 2L), (after.Batches - before.Batches, after.Writes - before.Writes));
            Assert.Equal(0, commits.RanAgain - ranBefore);
        }
        Assert.Equal(0, other.RanAgain - otherRanBefore);
        return (posts, answer);
    }

    Task<int> WaitingOnLocksAsync() => nodes.A.InDatabaseAsync(db => db.Database.SqlQuery<int>($"""
        SELECT count(*)::int AS "Value" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
        """).SingleAsync());
}
