using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.ManyNodes;

/// <summary>
/// A double click behind a load balancer: the same words from the same person reach two nodes at the same moment. The
/// second must find the first and answer with it (200, the twin), not store the words twice. On PostgreSQL each node
/// looks for the twin inside its own transaction, so each must hold the thread before it looks.
/// </summary>
[Collection(TwoNodes.Collection)]
public sealed class TwinsOnTwoNodesTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    [PostgresFact("the nodes' transactions overlap on PostgreSQL; SQLite writes one transaction at a time")]
    public async Task TheSameWordsSentToBothNodesAtOnceAreStoredOnceAndBothAreAnsweredWithThem()
    {
        var site = await nodes.A.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var first = (await nodes.A.CreateClient().CommentAsync(site, url, "The thread is here already.", name: "Opening Olga")).Id();
        var thread = await nodes.A.InDatabaseAsync(db => db.Comments.Where(c => c.Id == first).Select(c => c.ThreadId).SingleAsync());

        // Another writer holds the thread, as a post being stored there would: both nodes' posts queue behind it, each
        // having got as far as it can without the thread, and go on together when it lets go.
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var letGo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = nodes.A.InDatabaseAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.Database.SqlQuery<long>($"""SELECT "Id" AS "Value" FROM "Threads" WHERE "Id" = {thread} FOR NO KEY UPDATE""").ToListAsync();
            holding.SetResult();
            await letGo.Task;
            await transaction.CommitAsync();
            return 0;
        });
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var body = new { url, body = "Sent once, clicked twice: the ferry leaves at nine.", author = new { name = "Double Dora" } };
        var posts = new[] { nodes.A.CreateClient().PostCommentAsync(site, body), nodes.B.CreateClient().PostCommentAsync(site, body) };
        await Nodes.Node.UntilAsync(async () => await WaitingOnLocksAsync() >= 2, "both nodes' posts waiting for the thread");
        letGo.SetResult();
        await holder;

        var answers = await Task.WhenAll(posts);
        var statuses = answers.Select(a => a.StatusCode).Order().ToList();
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Created], statuses);
        var ids = new List<long>();
        foreach (var answer in answers)
        {
            ids.Add((await answer.Content.ReadAsStringAsync()).Length > 0 ? (await answer.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).Id() : 0);
        }
        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(1, await nodes.A.InDatabaseAsync(db => db.Comments.CountAsync(c => c.ThreadId == thread && c.Author.Name == "Double Dora")));
        Assert.Equal(2, await nodes.A.InDatabaseAsync(db => db.Threads.Where(t => t.Id == thread).Select(t => t.CommentCount).SingleAsync()));
    }

    [PostgresFact("the nodes' transactions overlap on PostgreSQL; SQLite writes one transaction at a time")]
    public async Task TheSameFirstWordsOnANewPageSentToBothNodesAtOnceMakeOneThreadAndOneComment()
    {
        var site = await nodes.A.CreateSiteAsync();
        var siteId = await nodes.A.InDatabaseAsync(db => db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync());
        var identifier = "page-" + Guid.NewGuid().ToString("N");

        // Another first post to the page is being stored: it holds the page (there is no thread row to hold yet).
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var letGo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lockName = Hearth.Conversations.ThreadLocks.PageLockName(siteId, "i:" + identifier);
        var holder = nodes.A.InDatabaseAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.Database.SqlQuery<int>($"""SELECT 1 AS "Value" FROM pg_advisory_xact_lock(hashtextextended({lockName}, 0))""").ToListAsync();
            holding.SetResult();
            await letGo.Task;
            await transaction.CommitAsync();
            return 0;
        });
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var body = new { url = ApiCalls.NewPageUrl(), identifier, body = "First! And clicked twice: the pier opens at eight.", author = new { name = "Eager Edda" } };
        var posts = new[] { nodes.A.CreateClient().PostCommentAsync(site, body), nodes.B.CreateClient().PostCommentAsync(site, body) };
        await Nodes.Node.UntilAsync(async () => await WaitingOnLocksAsync() >= 2, "both nodes' first posts waiting for the page");
        letGo.SetResult();
        await holder;

        var answers = await Task.WhenAll(posts);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Created], answers.Select(a => a.StatusCode).Order().ToList());
        Assert.Equal(1, await nodes.A.InDatabaseAsync(db => db.Threads.CountAsync(t => t.SiteId == siteId && t.Identifier == identifier)));
        Assert.Equal(1, await nodes.A.InDatabaseAsync(db => db.Comments.CountAsync(c => c.SiteId == siteId && c.Author.Name == "Eager Edda")));
        Assert.Equal(1, await nodes.A.InDatabaseAsync(db => db.Threads.Where(t => t.SiteId == siteId && t.Identifier == identifier).Select(t => t.CommentCount).SingleAsync()));
    }

    Task<int> WaitingOnLocksAsync() => nodes.A.InDatabaseAsync(db => db.Database.SqlQuery<int>($"""
        SELECT count(*)::int AS "Value" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
        """).SingleAsync());
}
