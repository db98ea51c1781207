using System.Diagnostics;
using System.Net;
using Hearth.Tests.Live;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Hearth.ScaleTests;

/// <summary>
/// Live readers on both nodes while writes go to both: every event once, in order, whatever happens to a node or to
/// Redis. What a reader must have received is read from the thread's log in the database, not from the test's own
/// bookkeeping, so a write whose fate a killed node took with it is judged by what was stored.
/// </summary>
[Collection(InstanceCollection.Name)]
public sealed class LiveAcrossNodesTests(Instance instance, ITestOutputHelper output)
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ReadersOnBothNodesReceiveEveryEventOnceAndInOrderWhileBothNodesTakeWrites()
    {
        await instance.ReadyAsync();
        var site = await instance.NewSiteAsync();
        var url = Api.NewPageUrl();
        await instance.A.Client.CommentAsync(site, url, "opening words");
        var readers = new List<LiveReader>();
        try
        {
            await OpenTwoOnEachNodeAsync(readers, site, url);
            // Eight writers, each alternating between the nodes.
            var nodes = instance.Nodes.ToArray();
            await Task.WhenAll(Enumerable.Range(0, 8).Select(async writer =>
            {
                for (var i = 0; i < 8; i++)
                {
                    await nodes[(writer + i) % 2].Client.CommentAsync(site, url, $"writer {writer} says {i}");
                }
            }));
            var log = await LogAsync(site, url);
            Assert.Equal(1 + 64, log.Count);
            var deadline = DateTime.UtcNow + Patience;
            await Task.WhenAll(readers.Select(r => r.ReceiveUntilAsync(log.Count - 1, deadline)));

            // Nothing more is on its way: the next event each reader gets is one written after all the others.
            var marker = (await instance.B.Client.CommentAsync(site, url, "the last word")).Id();
            await Task.WhenAll(readers.Select(r => r.ReceiveUntilAsync(log.Count, deadline)));
            log = await LogAsync(site, url);
            Assert.Equal(marker, log[^1].CommentId);
            foreach (var reader in readers)
            {
                AssertReceivedExactly(log.Skip(1).ToList(), reader);
                Assert.Equal(1, reader.Connections);
            }
            Assert.Equal([instance.A, instance.B, instance.A, instance.B], readers.Select(r => r.Node));
        }
        finally
        {
            readers.ForEach(r => r.Dispose());
        }
    }

    /// <summary>What happens to a comment after it is posted, edited and voted on, sent to the nodes in turn.</summary>
    enum Fate { Stays, Deleted, Rejected, RejectedThenApproved, SpamThenNotSpam }

    [Fact]
    public async Task EditsVotesDecisionsAndDeletionsFromBothNodesReachReadersOnBothOnceAndInOrder()
    {
        await instance.ReadyAsync();
        var site = await instance.NewSiteAsync();
        var moderator = await instance.ModeratorTokenAsync(site);
        var url = Api.NewPageUrl();
        await instance.A.Client.CommentAsync(site, url, "opening words");
        var readers = new List<LiveReader>();
        try
        {
            await OpenTwoOnEachNodeAsync(readers, site, url);
            var nodes = instance.Nodes.ToArray();
            var fates = Enum.GetValues<Fate>();
            var fateOf = new System.Collections.Concurrent.ConcurrentDictionary<long, Fate>();
            // Six writers, each sending every step of its comments to the other node than the step before.
            await Task.WhenAll(Enumerable.Range(0, 6).Select(async writer =>
            {
                var turn = writer;
                HttpClient Next() => nodes[turn++ % 2].Client;
                for (var i = 0; i < fates.Length; i++)
                {
                    var fate = fates[(writer + i) % fates.Length];
                    var posted = await Next().CommentAsync(site, url, $"writer {writer} comment {i}", name: $"Writer {writer}");
                    var id = posted.Id();
                    fateOf[id] = fate;
                    var editToken = posted.GetProperty("editToken").GetString()!;
                    await Api.Expect(Next().SendAsync(HttpMethod.Patch, $"/api/v1/sites/{site}/comments/{id}",
                        new { body = $"writer {writer} comment {i}, edited" }, editToken: editToken), HttpStatusCode.OK);
                    await Api.Expect(Next().SendAsync(HttpMethod.Post, $"/api/v1/sites/{site}/comments/{id}/vote", new { value = 1 }), HttpStatusCode.OK);
                    string[] decisions = fate switch
                    {
                        Fate.Rejected => ["reject"],
                        Fate.RejectedThenApproved => ["reject", "approve"],
                        Fate.SpamThenNotSpam => ["spam", "notspam"],
                        _ => [],
                    };
                    foreach (var decision in decisions)
                    {
                        await Api.Expect(Next().SendAsync(HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{id}/{decision}",
                            bearer: moderator), HttpStatusCode.OK);
                    }
                    if (fate == Fate.Deleted)
                    {
                        await Api.Expect(Next().SendAsync(HttpMethod.Delete, $"/api/v1/sites/{site}/comments/{id}", editToken: editToken),
                            HttpStatusCode.NoContent);
                    }
                }
            }));

            // Nothing more is on its way once a comment written after all the others has reached every reader.
            var marker = (await instance.B.Client.CommentAsync(site, url, "the last word")).Id();
            var deadline = DateTime.UtcNow + Patience;
            await Task.WhenAll(readers.Select(r => r.ReceiveUntilCommentAsync(marker, deadline)));

            var log = await FullLogAsync(site, url);
            Assert.Equal(marker, log[^1].CommentId);
            // Each comment was created, edited and voted on at least, and each decision and deletion adds one more.
            Assert.Equal(1 + fateOf.Count * 3 + fateOf.Values.Sum(f => f switch
            {
                Fate.Stays => 0, Fate.Deleted or Fate.Rejected => 1, _ => 2,
            }) + 1, log.Count);
            var visibleAtEnd = fateOf.Where(f => f.Value is Fate.Stays or Fate.RejectedThenApproved or Fate.SpamThenNotSpam)
                .Select(f => f.Key).Append(marker).ToHashSet();
            var lastOfEach = log.GroupBy(e => e.CommentId).ToDictionary(g => g.Key, g => g.Max(e => e.Seq));
            var bySeq = log.ToDictionary(e => e.Seq);
            // Which events a reader gets depends on when it read them (a comment hidden then shows nothing of what came
            // before); what it must get does not: every removal, every event of a comment never hidden, and the last
            // event of every comment public at the end. Nothing twice, nothing out of order, nothing the log lacks.
            var must = log.Where(e => e.Seq > log[0].Seq && (e.Type == "comment.deleted"
                || fateOf.GetValueOrDefault(e.CommentId, Fate.Stays) == Fate.Stays
                || visibleAtEnd.Contains(e.CommentId) && lastOfEach[e.CommentId] == e.Seq)).Select(e => e.Seq).ToList();
            foreach (var reader in readers)
            {
                var seqs = reader.Received.Select(Api.Place).ToList();
                Assert.True(seqs.Zip(seqs.Skip(1)).All(p => p.First < p.Second), $"A reader on {reader.Node} got {string.Join(",", seqs)}.");
                foreach (var e in reader.Received)
                {
                    Assert.True(bySeq.TryGetValue(Api.Place(e), out var logged), $"Event {e.Id} is not in the log.");
                    Assert.Equal(logged.CommentId, Api.CommentIdOf(e));
                    Assert.Equal(logged.Type == "comment.voted" ? "comment.updated" : logged.Type, e.Type);
                }
                var missing = must.Except(seqs).ToList();
                Assert.True(missing.Count == 0, $"A reader on {reader.Node} missed events {string.Join(",", missing)}.");
                Assert.Equal(1, reader.Connections);
            }
            Assert.Contains(readers.SelectMany(r => r.Received), e => e.Type == "comment.deleted");
            Assert.Equal([instance.A, instance.B, instance.A, instance.B], readers.Select(r => r.Node));
        }
        finally
        {
            readers.ForEach(r => r.Dispose());
        }
    }

    [Fact]
    public async Task ReadersOfANodeKilledMidStreamResumeOnTheOtherWithLastEventIdMissingNothing()
    {
        await instance.ReadyAsync();
        var site = await instance.NewSiteAsync();
        var url = Api.NewPageUrl();
        var (a, b) = (instance.A, instance.B);
        using var onA = await LiveReader.OpenAsync(a, site, url);
        using var onB = await LiveReader.OpenAsync(b, site, url);

        var tenReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var readingA = onA.ReceiveUntilBrokenAsync(Patience, count =>
        {
            if (count >= 10)
            {
                tenReceived.TrySetResult();
            }
        });
        for (var i = 0; i < 20; i++)
        {
            await (i % 2 == 0 ? a : b).Client.CommentAsync(site, url, $"before the kill {i}");
        }
        await tenReceived.Task.WaitAsync(Patience);

        // Writers keep going while node A dies; what they sent to A after that goes to B, as a load balancer would send it.
        var writers = Enumerable.Range(0, 4).Select(async writer =>
        {
            for (var i = 0; i < 10; i++)
            {
                var body = $"writer {writer} around the kill {i}";
                try
                {
                    await (i % 2 == 0 ? a : b).Client.CommentAsync(site, url, body);
                }
                catch (HttpRequestException)
                {
                    // A's connection died with it; whether A stored the comment first is the log's to say.
                    using var retry = await b.Client.SendAsync(HttpMethod.Post, $"/api/v1/sites/{site}/comments",
                        new { url, body, author = new { name = "Guest" } });
                    Assert.True(retry.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"B answered {(int)retry.StatusCode}");
                }
            }
        }).ToList();
        a.Kill();
        var beforeKill = await readingA;
        await Task.WhenAll(writers);
        var afterKill = (await b.Client.CommentAsync(site, url, "after the kill")).Id();

        var log = await LogAsync(site, url);
        Assert.Equal(afterKill, log[^1].CommentId);
        // A's readers had some of the stream, and not its end: what follows reaches them only through B.
        Assert.InRange(beforeKill, 10, log.Count - 1);
        await onA.ConnectAsync(b);
        var deadline = DateTime.UtcNow + Patience;
        await Task.WhenAll(onA.ReceiveUntilAsync(log.Count, deadline), onB.ReceiveUntilAsync(log.Count, deadline));
        AssertReceivedExactly(log, onA);
        AssertReceivedExactly(log, onB);
        Assert.Equal((2, b), (onA.Connections, onA.Node));
        Assert.True(a.Process!.Process.HasExited);
        output.WriteLine($"{beforeKill} events on A before it was killed, {log.Count - beforeKill} from B after resuming.");
    }

    [Fact]
    public async Task ReadersCatchUpWithinFiveSecondsOfRedisReturning()
    {
        await instance.ReadyAsync();
        var site = await instance.NewSiteAsync();
        var url = Api.NewPageUrl();
        var (a, b) = (instance.A, instance.B);
        using var onA = await LiveReader.OpenAsync(a, site, url);
        using var onB = await LiveReader.OpenAsync(b, site, url);
        for (var i = 0; i < 4; i++)
        {
            await (i % 2 == 0 ? a : b).Client.CommentAsync(site, url, $"before the outage {i}");
        }
        var deadline = DateTime.UtcNow + Patience;
        await Task.WhenAll(onA.ReceiveUntilAsync(4, deadline), onB.ReceiveUntilAsync(4, deadline));

        await instance.Redis.StopAsync();
        var outage = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            outage.Add((await (i % 2 == 0 ? a : b).Client.CommentAsync(site, url, $"while Redis is away {i}")).Id());
        }
        await instance.Redis.RunAsync();
        var back = Stopwatch.StartNew();

        // The promise: within five seconds of Redis returning, every reader has what was written meanwhile.
        var promised = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        await Task.WhenAll(new[] { onA, onB }.Select(r => CatchUpAsync(r, 10, promised)));
        output.WriteLine($"Readers caught up {back.ElapsedMilliseconds} ms after Redis returned.");

        var log = await LogAsync(site, url);
        Assert.Equal(outage, log.Skip(4).Select(e => e.CommentId));
        foreach (var reader in new[] { onA, onB })
        {
            AssertReceivedExactly(log, reader);
        }
        Assert.Equal((a, b), (onA.Node, onB.Node));
    }

    /// <summary>
    /// Reads until the reader has <paramref name="count"/> events, reconnecting to its own node with Last-Event-ID if
    /// the stream ends, as a browser's EventSource does; fails at the deadline.
    /// </summary>
    static async Task CatchUpAsync(LiveReader reader, int count, DateTime deadline)
    {
        while (true)
        {
            try
            {
                await reader.ReceiveUntilAsync(count, deadline);
                return;
            }
            catch (Exception e) when (e is EndOfStreamException or IOException or HttpRequestException && DateTime.UtcNow < deadline)
            {
                await reader.ConnectAsync(reader.Node);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"A reader on {reader.Node} had {reader.Received.Count} of {count} events at its deadline.");
            }
        }
    }

    /// <summary>The thread's log as stored: place and comment, in order.</summary>
    async Task<List<(long Seq, long CommentId)>> LogAsync(string site, string url)
    {
        await using var db = instance.OpenDatabase();
        var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
        var threadId = await db.Threads.Where(t => t.SiteId == siteId && t.Url == url).Select(t => t.Id).SingleAsync();
        var rows = await db.ThreadEvents.Where(e => e.ThreadId == threadId).OrderBy(e => e.Seq).Select(e => new { e.Seq, e.CommentId }).ToListAsync();
        return rows.Select(r => (r.Seq, r.CommentId)).ToList();
    }

    /// <summary>Two readers on each node, A, B, A, B, into <paramref name="readers"/> (whoever made the list disposes them).</summary>
    async Task OpenTwoOnEachNodeAsync(List<LiveReader> readers, string site, string url)
    {
        foreach (var node in new[] { instance.A, instance.B, instance.A, instance.B })
        {
            readers.Add(await LiveReader.OpenAsync(node, site, url));
        }
    }

    /// <summary>The thread's whole log as stored: place, kind and comment, in order.</summary>
    async Task<List<(long Seq, string Type, long CommentId)>> FullLogAsync(string site, string url)
    {
        await using var db = instance.OpenDatabase();
        var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
        var threadId = await db.Threads.Where(t => t.SiteId == siteId && t.Url == url).Select(t => t.Id).SingleAsync();
        var rows = await db.ThreadEvents.Where(e => e.ThreadId == threadId).OrderBy(e => e.Seq)
            .Select(e => new { e.Seq, e.Type, e.CommentId }).ToListAsync();
        return rows.Select(r => (r.Seq, r.Type, r.CommentId)).ToList();
    }

    static void AssertReceivedExactly(IReadOnlyList<(long Seq, long CommentId)> log, LiveReader reader)
    {
        Assert.Equal(log.Select(e => e.Seq), reader.Received.Select(Api.Place));
        Assert.Equal(log.Select(e => e.CommentId), reader.Received.Select(Api.CommentIdOf));
        Assert.All(reader.Received, e => Assert.Equal("comment.created", e.Type));
    }
}
