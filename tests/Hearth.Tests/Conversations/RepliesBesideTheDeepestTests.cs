using System.Net;
using System.Text.Json;
using Hearth.Tests.Moderation;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Conversations;

/// <summary>
/// A reply to a comment at the deepest level sits beside it and names whom it answers, only while readers may see that
/// comment; an answered comment stays as a tombstone while the answer is there, and goes with it.
/// </summary>
public class RepliesBesideTheDeepestTests(RepliesBesideTheDeepestTests.OneLevelApp app) : IClassFixture<RepliesBesideTheDeepestTests.OneLevelApp>
{
    public sealed class OneLevelApp : HearthApp
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Hearth:MaxReplyDepth"] = "1" };
    }

    readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task AnAnswerNamesItsCommentOnlyWhileReadersMaySeeIt()
    {
        var (site, token) = await app.SiteWithModeratorAsync();
        var url = ApiCalls.NewPageUrl();
        var top = await _client.CommentAsync(site, url, "top", name: "Ada");
        var reply = await _client.CommentAsync(site, url, "reply", top.Id(), name: "Grace");
        var answer = await _client.CommentAsync(site, url, "answer", reply.Id(), name: "Linus");
        Assert.Equal(top.Id(), answer.GetProperty("parentId").GetInt64());

        Assert.Equal("Grace", ReplyTo(await _client.ThreadAsync(site, url), answer.Id()).GetProperty("name").GetString());

        var rejected = await _client.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{reply.Id()}/reject");
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var page = await _client.ThreadAsync(site, url);
        Assert.False(Comment(page, answer.Id()).TryGetProperty("replyTo", out _), "A rejected comment is not pointed at, nor its writer named.");
        Assert.DoesNotContain("Grace", page.ToString());
        var plain = await _client.GetStringAsync($"/embed/{site}/thread?url={Uri.EscapeDataString(url)}");
        Assert.DoesNotContain("Grace", plain);

        // The moderators see the comment an answer was written to, not the one it hangs under.
        var queue = await _client.AsModeratorAsync(token, HttpMethod.Get, $"/api/v1/sites/{site}/moderation/queue?status=all");
        var item = JsonDocument.Parse(await queue.Content.ReadAsStringAsync()).RootElement.GetProperty("items").EnumerateArray()
            .Single(i => i.Id() == answer.Id());
        Assert.Equal(reply.Id(), item.GetProperty("parent").GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task AnAnsweredCommentStaysAsATombstoneAndGoesWithItsLastAnswer()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var top = await _client.CommentAsync(site, url, "top", name: "Ada");
        var reply = await _client.CommentAsync(site, url, "reply", top.Id(), name: "Grace");
        var answer = await _client.CommentAsync(site, url, "answer", reply.Id(), name: "Linus");

        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(site, reply)).StatusCode);
        var page = await _client.ThreadAsync(site, url);
        Assert.Equal("deleted", Comment(page, reply.Id()).GetProperty("status").GetString());
        var replyTo = ReplyTo(page, answer.Id());
        Assert.Equal(reply.Id(), replyTo.GetProperty("id").GetInt64());
        Assert.False(replyTo.TryGetProperty("name", out _), "A tombstone names nobody.");

        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(site, answer)).StatusCode);
        var ids = (await _client.ThreadAsync(site, url)).GetProperty("comments").EnumerateArray().Select(c => c.Id());
        Assert.Equal([top.Id()], ids);
        Assert.False(await app.InDatabaseAsync(db => db.Comments.AnyAsync(c => c.Id == reply.Id())));
    }

    Task<HttpResponseMessage> DeleteAsync(string site, JsonElement comment)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/sites/{site}/comments/{comment.Id()}");
        request.Headers.Add("X-Edit-Token", comment.GetProperty("editToken").GetString());
        return _client.SendAsync(request);
    }

    static JsonElement Comment(JsonElement page, long id) => page.GetProperty("comments").EnumerateArray().Single(c => c.Id() == id);

    static JsonElement ReplyTo(JsonElement page, long id) => Comment(page, id).GetProperty("replyTo");
}
