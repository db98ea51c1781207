using System.Net;
using Hearth.Conversations;
using Microsoft.EntityFrameworkCore;

namespace Hearth.ScaleTests;

/// <summary>Many clients writing to both nodes at once: the database, not a process, keeps the counts and the threads right.</summary>
[Collection(InstanceCollection.Name)]
public sealed class ConcurrentWritesTests(Instance instance)
{
    const int Clients = 16;
    const int ParentsPerClient = 2;
    const int LeavesPerParent = 3;
    const int FreshPages = 8;

    /// <summary>What happens to a reply after it is posted, edited and voted on; the last word decides whether it is counted.</summary>
    enum Fate { Stays, Deleted, Rejected, RejectedThenApproved, Spam, SpamThenNotSpam }

    static readonly Fate[] Fates = Enum.GetValues<Fate>();

    [Fact]
    public async Task CountsEqualPublishedRowsAndEveryPageHasOneThreadWhenManyClientsWriteToBothNodes()
    {
        await instance.ReadyAsync();
        var site = await instance.NewSiteAsync();
        var moderator = await instance.ModeratorTokenAsync(site);
        var url = Api.NewPageUrl();
        var nodes = instance.Nodes.ToArray();
        var servedBefore = nodes.Select(n => n.Answered).ToArray();
        var errorsBefore = nodes.Select(n => n.ServerErrors).ToArray();

        // The first comments of fresh pages arrive at both nodes at the same moment.
        var pages = Enumerable.Range(0, FreshPages).Select(_ => Api.NewPageUrl()).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firsts = pages.SelectMany(page => nodes.Select(async node =>
        {
            await start.Task;
            return (Page: page, Comment: (await node.Client.CommentAsync(site, page, $"first on {node.Name}")).Id());
        })).ToList();

        var published = new int[Clients];
        var scores = new Dictionary<long, int>[Clients];
        var clients = Enumerable.Range(0, Clients).Select(async client =>
        {
            await start.Task;
            var turn = client;
            NodeHandle Next() => nodes[turn++ % nodes.Length];
            scores[client] = [];
            for (var p = 0; p < ParentsPerClient; p++)
            {
                var parent = (await Next().Client.CommentAsync(site, url, $"client {client} parent {p}", name: $"Writer {client}")).Id();
                published[client]++;
                for (var l = 0; l < LeavesPerParent; l++)
                {
                    var fate = Fates[(client + p * LeavesPerParent + l) % Fates.Length];
                    var leaf = await Next().Client.CommentAsync(site, url, $"client {client} leaf {p}.{l}", parent, name: $"Writer {client}");
                    var id = leaf.Id();
                    var editToken = leaf.GetProperty("editToken").GetString()!;
                    await Api.Expect(Next().Client.SendAsync(HttpMethod.Patch, $"/api/v1/sites/{site}/comments/{id}",
                        new { body = $"client {client} leaf {p}.{l} edited" }, editToken: editToken), HttpStatusCode.OK);
                    var vote = (client + l) % 2 == 0 ? 1 : -1;
                    await Api.Expect(Next().Client.SendAsync(HttpMethod.Post, $"/api/v1/sites/{site}/comments/{id}/vote", new { value = vote }),
                        HttpStatusCode.OK);
                    scores[client][id] = vote;
                    string[] decisions = fate switch
                    {
                        Fate.Rejected => ["reject"],
                        Fate.RejectedThenApproved => ["reject", "approve"],
                        Fate.Spam => ["spam"],
                        Fate.SpamThenNotSpam => ["spam", "notspam"],
                        _ => [],
                    };
                    foreach (var decision in decisions)
                    {
                        await Api.Expect(Next().Client.SendAsync(HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{id}/{decision}",
                            bearer: moderator), HttpStatusCode.OK);
                    }
                    if (fate == Fate.Deleted)
                    {
                        await Api.Expect(Next().Client.SendAsync(HttpMethod.Delete, $"/api/v1/sites/{site}/comments/{id}", editToken: editToken),
                            HttpStatusCode.NoContent);
                    }
                    if (fate is Fate.Stays or Fate.RejectedThenApproved or Fate.SpamThenNotSpam)
                    {
                        published[client]++;
                    }
                }
            }
        }).ToList();

        start.SetResult();
        await Task.WhenAll(clients);
        var firstComments = await Task.WhenAll(firsts);

        for (var i = 0; i < nodes.Length; i++)
        {
            Assert.True(nodes[i].ServerErrors == errorsBefore[i], $"{nodes[i]} answered {nodes[i].ServerErrors - errorsBefore[i]} requests with 5xx.");
            // Each client alternates, so each node took half of some hundreds of writes.
            Assert.True(nodes[i].Answered - servedBefore[i] > 100, $"{nodes[i]} served only {nodes[i].Answered - servedBefore[i]} requests.");
        }

        var expected = published.Sum();
        await using var db = instance.OpenDatabase();
        var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
        var threadId = await db.Threads.Where(t => t.SiteId == siteId && t.Url == url).Select(t => t.Id).SingleAsync();
        var rows = await db.Comments.Where(c => c.ThreadId == threadId).Select(c => new { c.Id, c.Status, c.Source }).ToListAsync();
        Assert.True(expected == rows.Count(c => c.Status == CommentStatus.Published),
            $"{expected} comments should be published; the rows say:\n" + string.Join("\n", rows.OrderBy(r => r.Id).Select(r => $"{r.Id} {r.Status} {r.Source}")));
        var counted = await db.Threads.Where(t => t.Id == threadId).Select(t => t.CommentCount).SingleAsync();
        Assert.True(expected == counted, $"The thread's row counts {counted} comments; {expected} rows are published.");
        foreach (var node in nodes)
        {
            var (thread, comments) = await node.Client.WholeThreadAsync(site, url);
            Assert.Equal(threadId, thread.GetProperty("id").GetInt64());
            Assert.True(expected == thread.GetProperty("commentCount").GetInt32(),
                $"{node} says commentCount {thread.GetProperty("commentCount").GetInt32()}; {expected} rows are published.");
            Assert.True(expected == comments.Count(c => c.GetProperty("status").GetString() == "published"),
                $"{node} shows {comments.Count(c => c.GetProperty("status").GetString() == "published")} published comments; {expected} rows are published.");
            var shown = comments.ToDictionary(c => c.Id());
            foreach (var (id, vote) in scores.SelectMany(s => s))
            {
                if (shown.TryGetValue(id, out var comment) && comment.GetProperty("status").GetString() == "published")
                {
                    Assert.Equal(vote, comment.GetProperty("score").GetInt32());
                }
            }
        }

        // One thread per page, holding both first comments, whichever node took them.
        Assert.Equal(1 + FreshPages, await db.Threads.CountAsync(t => t.SiteId == siteId));
        foreach (var page in pages)
        {
            var ids = firstComments.Where(f => f.Page == page).Select(f => f.Comment).Order().ToList();
            foreach (var node in nodes)
            {
                var (thread, comments) = await node.Client.WholeThreadAsync(site, page);
                Assert.Equal(2, thread.GetProperty("commentCount").GetInt32());
                Assert.Equal(ids, comments.Select(c => c.Id()).Order().ToList());
            }
        }
    }
}
