using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Tests.Live;

namespace Hearth.Tests.ManyNodes;

/// <summary>Two nodes behind one Redis: what one node acknowledges, readers and pages on the other see.</summary>
[Collection(TwoNodes.Collection)]
public sealed class CrossNodeLiveTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    readonly HttpClient _a = nodes.A.CreateClient();
    readonly HttpClient _b = nodes.B.CreateClient();

    static long CommentIdOf(SseEvent e) => JsonDocument.Parse(e.Data).RootElement.GetProperty("id").GetInt64();
    static long Place(SseEvent e) => long.Parse(e.Id!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task EventsWrittenOnOneNodeReachAReaderOnTheOtherOnceAndInOrder()
    {
        var site = await nodes.A.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var (response, reader) = await TwoNodes.OpenAsync(_b, site, url);
        using (response)
        using (reader)
        {
            var written = new List<long>();
            for (var i = 0; i < 5; i++)
            {
                written.Add((await _a.CommentAsync(site, url, $"from node A, number {i}")).Id());
            }
            var vote = await _a.PostAsJsonAsync($"/api/v1/sites/{site}/comments/{written[0]}/vote", new { value = 1 });
            Assert.Equal(HttpStatusCode.OK, vote.StatusCode);
            // Written on the reader's own node last: anything repeated from A would arrive before it.
            var marker = (await _b.CommentAsync(site, url, "from node B")).Id();

            var received = new List<SseEvent>();
            for (var i = 0; i < 7; i++)
            {
                received.Add(await reader.NextChangeAsync(TimeSpan.FromSeconds(30)));
            }
            Assert.Equal([.. written, written[0], marker], received.Select(CommentIdOf));
            Assert.Equal(["comment.created", "comment.created", "comment.created", "comment.created", "comment.created", "comment.updated", "comment.created"],
                received.Select(e => e.Type));
            // Places in the thread's log, gap-free from the first.
            Assert.Equal(Enumerable.Range(1, 7).Select(n => (long)n), received.Select(Place));
        }
    }

    [Fact]
    public async Task APageCachedOnOneNodeIsNotServedAfterAWriteAcknowledgedOnTheOther()
    {
        var site = await nodes.A.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        await _a.CommentAsync(site, url, "the first word");
        for (var round = 0; round < 5; round++)
        {
            // Read twice on B, so the second read comes from its memory.
            await _b.ThreadAsync(site, url);
            var cached = await _b.ThreadAsync(site, url);
            Assert.Equal(round + 1, cached.GetProperty("comments").GetArrayLength());

            var posted = await _a.CommentAsync(site, url, $"said on A, round {round}");
            var page = await _b.ThreadAsync(site, url);
            Assert.Contains(page.GetProperty("comments").EnumerateArray(), c => c.GetProperty("id").GetInt64() == posted.Id());
        }
    }

    [Fact]
    public async Task AReaderResumingOnTheOtherNodeWithLastEventIdGetsExactlyWhatFollowed()
    {
        var site = await nodes.A.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        string lastSeen;
        var (response, reader) = await TwoNodes.OpenAsync(_a, site, url);
        using (response)
        using (reader)
        {
            await _a.CommentAsync(site, url, "one");
            await _b.CommentAsync(site, url, "two");
            await reader.NextChangeAsync(TimeSpan.FromSeconds(30));
            lastSeen = (await reader.NextChangeAsync(TimeSpan.FromSeconds(30))).Id!;
        }
        var missed = new[] { (await _a.CommentAsync(site, url, "three")).Id(), (await _b.CommentAsync(site, url, "four")).Id() };

        var (again, resumed) = await TwoNodes.OpenAsync(_b, site, url, lastSeen);
        using (again)
        using (resumed)
        {
            var next = (await _a.CommentAsync(site, url, "five")).Id();
            var got = new List<long>();
            for (var i = 0; i < 3; i++)
            {
                got.Add(CommentIdOf(await resumed.NextChangeAsync(TimeSpan.FromSeconds(30))));
            }
            Assert.Equal([.. missed, next], got);
        }
    }
}

/// <summary>Previews are limited to three a minute here, so the shared count shows.</summary>
public sealed class TwoNodesWithTightLimits : TwoNodes
{
    protected override IReadOnlyDictionary<string, string>? Extra => new Dictionary<string, string> { ["Hearth:RateLimits:PreviewsPerMinute"] = "3" };
}

[Collection(TwoNodes.Collection)]
public sealed class CrossNodeRateLimitTests(TwoNodesWithTightLimits nodes) : IClassFixture<TwoNodesWithTightLimits>
{
    readonly HttpClient _a = nodes.A.CreateClient();
    readonly HttpClient _b = nodes.B.CreateClient();

    [Fact]
    public async Task WritesCountAgainstOneLimitWhicheverNodeTakesThem()
    {
        var site = await nodes.A.CreateSiteAsync();
        // Each node alone would allow all four; together they allow the limit once.
        var answers = new List<HttpStatusCode>();
        foreach (var client in new[] { _a, _b, _a, _b })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/preview") { Content = JsonContent.Create(new { body = "hello" }) };
            request.Headers.Add("X-Forwarded-For", "198.51.100.77");
            answers.Add((await client.SendAsync(request)).StatusCode);
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers);
    }
}

/// <summary>One author may post twice a minute here, so the shared posting pace shows.</summary>
public sealed class TwoNodesWithATightPostingPace : TwoNodes
{
    protected override IReadOnlyDictionary<string, string>? Extra => new Dictionary<string, string> { ["Hearth:RateLimits:CommentsPerAuthorPerMinute"] = "2" };
}

[Collection(TwoNodes.Collection)]
public sealed class CrossNodePostingPaceTests(TwoNodesWithATightPostingPace nodes) : IClassFixture<TwoNodesWithATightPostingPace>
{
    [Fact]
    public async Task OneAuthorsPostsCountAgainstOnePaceWhicheverNodeTakesThem()
    {
        var site = await nodes.A.CreateSiteAsync();
        var bodies = new[]
        {
            "The lock keeper says the gates will be painted next week.",
            "Has anyone tried the new bakery by the second bridge?",
            "Swans nested under the footbridge again this spring.",
        };
        // Each node alone would take all three; together they take the author's two a minute.
        var answers = new List<HttpStatusCode>();
        foreach (var (client, body) in new[] { nodes.A.CreateClient(), nodes.B.CreateClient(), nodes.A.CreateClient() }.Zip(bodies))
        {
            var response = await client.PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), body, author = new { name = "Walker" } });
            answers.Add(response.StatusCode);
        }
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], answers);
    }
}
