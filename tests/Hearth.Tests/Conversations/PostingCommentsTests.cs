using System.Net;
using System.Text.Json;
using Hearth.Sites;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Conversations;

public class PostingCommentsTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task GuestCommentIsPublishedAndAppearsInTheThread()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var response = await _client.PostCommentAsync(site, new { url, title = "First post", body = "Hello **there**", author = new { name = "Ada" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("published", created.GetProperty("status").GetString());
        Assert.Equal("<p>Hello <strong>there</strong></p>", created.GetProperty("html").GetString());
        Assert.Equal("Ada", created.GetProperty("author").GetProperty("name").GetString());
        Assert.StartsWith("/api/v1/avatars/", created.GetProperty("author").GetProperty("avatarUrl").GetString());
        Assert.EndsWith($"/comments/{created.Id()}", response.Headers.Location!.ToString());

        var thread = await _client.ThreadAsync(site, url);
        Assert.Equal(1, thread.GetProperty("thread").GetProperty("commentCount").GetInt32());
        Assert.Equal("First post", thread.GetProperty("thread").GetProperty("title").GetString());
        Assert.Equal(created.Id(), thread.GetProperty("comments")[0].Id());
    }

    [Fact]
    public async Task RepliesNestToAnyDepthAndKeepTheirParent()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var parent = await _client.CommentAsync(site, url, "level 0");
        var ids = new List<long> { parent.Id() };
        for (var depth = 1; depth <= 8; depth++)
        {
            var reply = await _client.CommentAsync(site, url, $"level {depth}", parentId: ids[^1]);
            Assert.Equal(ids[^1], reply.GetProperty("parentId").GetInt64());
            ids.Add(reply.Id());
        }

        var comments = (await _client.ThreadAsync(site, url)).GetProperty("comments");
        Assert.Equal(ids, comments.EnumerateArray().Select(c => c.Id()));
        Assert.Equal(JsonValueKind.Null, comments[0].GetProperty("parentId").ValueKind);
    }

    [Fact]
    public async Task MarkdownLinksAreRenderedAndMarkedAsUserContent()
    {
        var site = await app.CreateSiteAsync();
        var comment = await _client.CommentAsync(site, ApiCalls.NewPageUrl(),
            "See [the docs](https://docs.example/a) or https://bare.example/b\n\n> quoted\n\n- one\n- two\n\n`code`");
        var html = comment.GetProperty("html").GetString()!;

        Assert.Contains("<a href=\"https://docs.example/a\" rel=\"nofollow ugc noopener\">the docs</a>", html);
        Assert.Contains("<a href=\"https://bare.example/b\" rel=\"nofollow ugc noopener\">", html);
        Assert.Contains("<blockquote>", html);
        Assert.Contains("<li>two</li>", html);
        Assert.Contains("<code>code</code>", html);
    }

    [Fact]
    public async Task GuestEmailIsKeptPrivate()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var response = await _client.PostCommentAsync(site, new { url, body = "hi", author = new { name = "Bo", email = "bo@private.example", website = "https://bo.example" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.DoesNotContain("private.example", await response.Content.ReadAsStringAsync());

        var raw = await _client.GetStringAsync($"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}");
        Assert.DoesNotContain("private.example", raw);
        Assert.Contains("https://bo.example/", raw);
    }

    [Fact]
    public async Task PreModeratedSiteHoldsCommentsOutOfTheThread()
    {
        var site = await app.CreateSiteAsync(moderation: ModerationMode.Pre);
        var url = ApiCalls.NewPageUrl();
        var comment = await _client.CommentAsync(site, url, "waiting for a moderator");
        Assert.Equal("pending", comment.GetProperty("status").GetString());

        var thread = await _client.ThreadAsync(site, url);
        Assert.Equal(0, thread.GetProperty("thread").GetProperty("commentCount").GetInt32());
        Assert.Equal(0, thread.GetProperty("comments").GetArrayLength());
    }

    [Theory]
    [InlineData("https://Blog.Example:443/posts/normal?utm_source=x&utm_medium=y#comments")]
    [InlineData("HTTPS://BLOG.EXAMPLE/posts/normal?fbclid=abc")]
    [InlineData("https://blog.example/posts/normal?gclid=1&mc_cid=2&mc_eid=3")]
    public async Task SharedLinksToOnePageLandInOneThread(string variant)
    {
        var site = await app.CreateSiteAsync();
        await _client.CommentAsync(site, "https://blog.example/posts/normal", "canonical");
        await _client.CommentAsync(site, variant, "through a shared link " + Guid.NewGuid());

        var thread = await _client.ThreadAsync(site, "https://blog.example/posts/normal");
        Assert.Equal(2, thread.GetProperty("thread").GetProperty("commentCount").GetInt32());
        Assert.Equal("https://blog.example/posts/normal", thread.GetProperty("thread").GetProperty("url").GetString());
    }

    [Fact]
    public async Task QueryParametersThatMatterMakeDifferentThreads()
    {
        var site = await app.CreateSiteAsync();
        await _client.CommentAsync(site, "https://blog.example/item?id=1", "one");
        var other = await _client.ThreadAsync(site, "https://blog.example/item?id=2");
        Assert.Equal(0, other.GetProperty("comments").GetArrayLength());
    }

    [Fact]
    public async Task ExplicitIdentifierWinsOverTheUrl()
    {
        var site = await app.CreateSiteAsync();
        await _client.CommentAsync(site, "https://blog.example/2024/05/post", "old address", identifier: "post-42");
        await _client.CommentAsync(site, "https://blog.example/post", "new address", identifier: "post-42");

        var thread = await _client.ThreadAsync(site, "https://blog.example/any/other/address", "&identifier=post-42");
        Assert.Equal(2, thread.GetProperty("thread").GetProperty("commentCount").GetInt32());
        Assert.Equal("post-42", thread.GetProperty("thread").GetProperty("identifier").GetString());
        var byUrl = await _client.ThreadAsync(site, "https://blog.example/post");
        Assert.Equal(0, byUrl.GetProperty("comments").GetArrayLength());
    }

    [Fact]
    public async Task LockedThreadRefusesNewComments()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var first = await _client.CommentAsync(site, url, "before the lock");
        await app.InDatabaseAsync(db => db.Threads.Where(t => t.Url == url).ExecuteUpdateAsync(t => t.SetProperty(x => x.Locked, true)));

        var response = await _client.PostCommentAsync(site, new { url, body = "after the lock", author = new { name = "Late" } });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("thread_locked", (await response.ProblemAsync()).GetProperty("code").GetString());
        Assert.Equal(1, await app.InDatabaseAsync(db => db.Comments.CountAsync(c => c.ThreadId == db.Threads.First(t => t.Url == url).Id)));
        Assert.True(first.Id() > 0);
    }
}
