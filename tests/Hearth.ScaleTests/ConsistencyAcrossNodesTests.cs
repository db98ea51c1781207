using System.Net;
using System.Net.Http.Json;

namespace Hearth.ScaleTests;

/// <summary>What one node acknowledged, the other serves: pages, sign-ins and single sign-on secrets.</summary>
[Collection(InstanceCollection.Name)]
public sealed class ConsistencyAcrossNodesTests(Instance instance)
{
    [Fact]
    public async Task AThreadReadFromOneNodeIncludesAWriteTheOtherAcknowledgedThoughItHadThePageCached()
    {
        await instance.ReadyAsync();
        var site = await instance.NewSiteAsync();
        var url = Api.NewPageUrl();
        await instance.A.Client.CommentAsync(site, url, "the first word");
        for (var round = 0; round < 6; round++)
        {
            var (writer, reader) = round % 2 == 0 ? (instance.A, instance.B) : (instance.B, instance.A);
            // Read twice, so the reader's node holds the page in memory and serves it from there the second time.
            var first = await ReadAsync(reader, site, url, etag: null);
            var cached = await ReadAsync(reader, site, url, etag: null);
            Assert.Equal(round + 1, cached.Comments.Count);
            Assert.Equal(first.ETag, cached.ETag);

            var posted = (await writer.Client.CommentAsync(site, url, $"said on {writer.Name}, round {round}")).Id();

            // A reader revalidating its copy, and one asking afresh, both get the write.
            var revalidated = await ReadAsync(reader, site, url, cached.ETag);
            Assert.Equal(HttpStatusCode.OK, revalidated.Status);
            Assert.Contains(posted, revalidated.Comments);
            var page = await ReadAsync(reader, site, url, etag: null);
            Assert.Contains(posted, page.Comments);
            Assert.Equal(round + 2, page.Count);
        }
    }

    static readonly string[] Retried =
    [
        "The library extended its opening hours on Thursdays until nine.",
        "Our street finally got the speed bumps everyone asked for.",
        "Does the night bus still stop at the old market square?",
        "The orchard by the school is selling apples again this weekend.",
        "Two new benches appeared along the river path near the weir.",
        "I counted eleven kayaks on the canal during Sunday's regatta.",
        "Roadworks on the hill road should end before the festival.",
        "The choir rehearses in the chapel hall every second Tuesday.",
        "Someone left a lovely chalk drawing outside the bakery door.",
        "Parking permits for residents are renewed online from May.",
        "The swimming pool reopens after repairs to its leaking roof.",
        "A heron has been fishing in the mill pond every morning.",
    ];

    [Fact]
    public async Task OneIdempotencyKeySentToBothNodesAtOnceMakesOneCommentAndBothAnswersNameIt()
    {
        await instance.ReadyAsync();
        var site = await instance.NewSiteAsync();
        for (var round = 0; round < 12; round++)
        {
            var url = Api.NewPageUrl();
            var key = $"retry-{round}-{Guid.NewGuid():N}";
            // Words of its own each round: the same words on many pages would rightly be held as a spam run.
            var body = new { url, body = Retried[round], author = new { name = "Retrier" } };
            // The same request, as a client retrying through the load balancer would send it, arriving at both at once.
            var answers = await Task.WhenAll(new[] { instance.A, instance.B }.Select(node =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/comments") { Content = JsonContent.Create(body) };
                request.Headers.Add("Idempotency-Key", key);
                return node.Client.SendAsync(request);
            }));
            var ids = new List<long>();
            foreach (var answer in answers)
            {
                var text = await answer.Content.ReadAsStringAsync();
                Assert.True(answer.StatusCode == HttpStatusCode.Created, $"round {round}: {(int)answer.StatusCode} {text}");
                ids.Add(System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt64());
            }
            Assert.Equal(ids[0], ids[1]);
            var (thread, comments) = await instance.B.Client.WholeThreadAsync(site, url);
            Assert.Single(comments);
        }
    }

    [Fact]
    public async Task ASignInAndASingleSignOnSecretMadeOnOneNodeWorkOnTheOther()
    {
        await instance.ReadyAsync();
        var (a, b) = (instance.A, instance.B);
        var site = await instance.NewSiteAsync();
        var url = Api.NewPageUrl();
        // The secret is made on A's machine and kept encrypted in the database, with keys kept there too.
        var secret = await instance.SecretAsync(a, site);

        // A token signed with it is good on B, and the access token A hands out is good on B.
        var onB = await b.SignInAsync(site, Sso.Token(secret, site, "customer-1", "Dana Fischer"));
        var onA = await a.SignInAsync(site, Sso.Token(secret, site, "customer-2", "Eli Moreau"));
        var fromB = await PostAsMemberAsync(a, site, url, onB, HttpStatusCode.Created);
        var fromA = await PostAsMemberAsync(b, site, url, onA, HttpStatusCode.Created);
        Assert.Equal("Dana Fischer", fromB.GetProperty("author").GetProperty("name").GetString());
        Assert.Equal("Eli Moreau", fromA.GetProperty("author").GetProperty("name").GetString());

        // A token signed with another secret is refused on both: B is really checking the signature.
        foreach (var node in new[] { a, b })
        {
            using var forged = await node.Client.SendAsync(HttpMethod.Post, $"/api/v1/sites/{site}/sessions/sso",
                new { token = Sso.Token("hsso_not-the-secret", site, "customer-3", "Mallory") });
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }

        // Signing out on A ends the session on B too.
        using (var signOut = await a.Client.SendAsync(HttpMethod.Delete, $"/api/v1/sites/{site}/sessions/current", bearer: onA))
        {
            Assert.True(signOut.IsSuccessStatusCode, $"signing out on A answered {(int)signOut.StatusCode}");
        }
        await PostAsMemberAsync(b, site, url, onA, HttpStatusCode.Unauthorized);
    }

    static async Task<System.Text.Json.JsonElement> PostAsMemberAsync(NodeHandle node, string site, string url, string accessToken,
        HttpStatusCode expected)
    {
        using var response = await node.Client.SendAsync(HttpMethod.Post, $"/api/v1/sites/{site}/comments",
            new { url, body = $"signed in, posting on {node.Name} {Guid.NewGuid():N}", author = new { name = "ignored" } }, bearer: accessToken);
        return await Api.Json(response, expected, $"posting with an access token on {node}");
    }

    static async Task<(HttpStatusCode Status, string? ETag, List<long> Comments, int Count)> ReadAsync(NodeHandle node, string site, string url,
        string? etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}");
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        }
        using var response = await node.Client.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return (response.StatusCode, etag, [], -1);
        }
        var page = await Api.Json(response, HttpStatusCode.OK, $"reading the thread on {node}");
        return (response.StatusCode, response.Headers.ETag?.ToString(), page.GetProperty("comments").EnumerateArray().Select(c => c.Id()).ToList(),
            page.GetProperty("thread").GetProperty("commentCount").GetInt32());
    }
}
