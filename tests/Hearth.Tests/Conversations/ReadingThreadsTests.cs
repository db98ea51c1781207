using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Hearth.Tests.Conversations;

public class ReadingThreadsTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task APageWithoutCommentsHasAnEmptyThread()
    {
        var site = await app.CreateSiteAsync();
        var thread = await _client.ThreadAsync(site, "https://blog.example/quiet?utm_source=feed");
        Assert.Equal(JsonValueKind.Null, thread.GetProperty("thread").GetProperty("id").ValueKind);
        Assert.Equal("https://blog.example/quiet", thread.GetProperty("thread").GetProperty("url").GetString());
        Assert.Equal(0, thread.GetProperty("comments").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, thread.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task RepliesArriveWithTheirTopLevelCommentInWritingOrder()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var first = await _client.CommentAsync(site, url, "first");
        var second = await _client.CommentAsync(site, url, "second");
        var replyToFirst = await _client.CommentAsync(site, url, "reply to first", parentId: first.Id());
        var nested = await _client.CommentAsync(site, url, "nested", parentId: replyToFirst.Id());

        var ids = (await _client.ThreadAsync(site, url, "&sort=oldest")).GetProperty("comments").EnumerateArray().Select(c => c.Id());
        Assert.Equal([first.Id(), replyToFirst.Id(), nested.Id(), second.Id()], ids);
        var newest = (await _client.ThreadAsync(site, url, "&sort=newest")).GetProperty("comments").EnumerateArray().Select(c => c.Id());
        Assert.Equal([second.Id(), first.Id(), replyToFirst.Id(), nested.Id()], newest);
    }

    [Theory]
    [InlineData("oldest")]
    [InlineData("newest")]
    [InlineData("best")]
    public async Task PagingWithTheCursorNeitherRepeatsNorSkipsWhilePeopleKeepPosting(string sort)
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var original = new List<long>();
        for (var i = 0; i < 23; i++)
        {
            original.Add((await _client.CommentAsync(site, url, $"comment {i}")).Id());
            app.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await _client.ThreadAsync(site, url, $"&sort={sort}&limit=5" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page.GetProperty("comments").EnumerateArray().Select(c => c.Id()));
            cursor = page.GetProperty("nextCursor").GetString();
            // Someone posts between every page request.
            await _client.CommentAsync(site, url, $"interleaved {pages}");
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            pages++;
        } while (cursor is not null && pages < 20);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Subset(seen.ToHashSet(), original.ToHashSet());
        if (sort != "newest")
        {
            // New comments sort after the reader's position, so the reader reaches them too.
            Assert.True(seen.Count > original.Count);
        }
    }

    [Fact]
    public async Task UnchangedThreadIsServedWithTheSameETagAndAChangeRefreshesIt()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        await _client.CommentAsync(site, url, "one");
        var path = $"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}";

        var first = await _client.GetAsync(path);
        var etag = first.Headers.ETag!;
        var conditional = new HttpRequestMessage(HttpMethod.Get, path);
        conditional.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await _client.SendAsync(conditional)).StatusCode);

        await _client.CommentAsync(site, url, "two");
        var after = await _client.GetAsync(path);
        Assert.NotEqual(etag, after.Headers.ETag);
        Assert.Contains("two", await after.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip, deflate", "gzip")]
    [InlineData("gzip;q=1, br;q=0", "gzip")]
    [InlineData("identity", null)]
    public async Task ThreadIsCompressedForClientsThatAcceptIt(string acceptEncoding, string? expected)
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        await _client.CommentAsync(site, url, string.Join(' ', Enumerable.Repeat("compressible words", 50)));
        var plain = await _client.GetStringAsync($"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}");

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        var response = await _client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(expected, response.Content.Headers.ContentEncoding.SingleOrDefault());
        Stream body = expected switch
        {
            "br" => new BrotliStream(new MemoryStream(bytes), CompressionMode.Decompress),
            "gzip" => new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress),
            _ => new MemoryStream(bytes),
        };
        Assert.Equal(plain, await new StreamReader(body).ReadToEndAsync());
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
    }

    [Fact]
    public async Task TheSiteOriginsGetCorsAnswersAndOthersDoNot()
    {
        var site = await app.CreateSiteAsync(origins: ["https://shop.example"]);
        var path = $"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString("https://shop.example/p/1")}";

        var allowed = new HttpRequestMessage(HttpMethod.Get, path);
        allowed.Headers.Add("Origin", "https://shop.example");
        var foreign = new HttpRequestMessage(HttpMethod.Get, path);
        foreign.Headers.Add("Origin", "https://evil.example");
        var preflight = new HttpRequestMessage(HttpMethod.Options, $"/api/v1/sites/{site}/comments");
        preflight.Headers.Add("Origin", "https://shop.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,idempotency-key");

        var allowedResponse = await _client.SendAsync(allowed);
        Assert.Equal("https://shop.example", allowedResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
        // Another page gets no thread, only a refusal it can read, so the widget there can say what is wrong.
        var foreignResponse = await _client.SendAsync(foreign);
        Assert.Equal(HttpStatusCode.Forbidden, foreignResponse.StatusCode);
        Assert.Equal("origin_not_allowed", (await foreignResponse.ProblemAsync()).GetProperty("code").GetString());
        Assert.Equal("*", foreignResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.DoesNotContain("comments", await foreignResponse.Content.ReadAsStringAsync());
        var preflightResponse = await _client.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, preflightResponse.StatusCode);
        Assert.Contains("POST", preflightResponse.Headers.GetValues("Access-Control-Allow-Methods").Single());
    }

    [Fact]
    public async Task ThreadJsonHasTheContractShape()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        await _client.CommentAsync(site, url, "shape");
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var thread = JsonDocument.Parse(await (await _client.SendAsync(request)).Content.ReadAsStringAsync()).RootElement;

        foreach (var field in new[] { "id", "url", "title", "commentCount", "locked" })
        {
            Assert.True(thread.GetProperty("thread").TryGetProperty(field, out _) || field == "title", field);
        }
        var comment = thread.GetProperty("comments")[0];
        foreach (var field in new[] { "id", "author", "html", "createdAt", "score", "status" })
        {
            Assert.True(comment.TryGetProperty(field, out _), field);
        }
        foreach (var field in new[] { "name", "avatarUrl", "badges" })
        {
            Assert.True(comment.GetProperty("author").TryGetProperty(field, out _), field);
        }
        Assert.True(thread.TryGetProperty("nextCursor", out _));
    }
}
