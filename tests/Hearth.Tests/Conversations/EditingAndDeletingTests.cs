using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Hearth.Tests.Conversations;

public class EditingAndDeletingTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    Task<HttpResponseMessage> EditAsync(string site, long id, string body, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/sites/{site}/comments/{id}") { Content = JsonContent.Create(new { body }) };
        if (token is not null)
        {
            request.Headers.Add("X-Edit-Token", token);
        }
        return _client.SendAsync(request);
    }

    Task<HttpResponseMessage> DeleteAsync(string site, long id, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/sites/{site}/comments/{id}");
        if (token is not null)
        {
            request.Headers.Add("X-Edit-Token", token);
        }
        return _client.SendAsync(request);
    }

    static string Token(JsonElement comment) => comment.GetProperty("editToken").GetString()!;

    [Fact]
    public async Task AuthorEditsWithinTheWindow()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var comment = await _client.CommentAsync(site, url, "teh typo");
        app.Clock.Advance(TimeSpan.FromMinutes(14));

        var response = await EditAsync(site, comment.Id(), "the *fix*", Token(comment));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var shown = (await _client.ThreadAsync(site, url)).GetProperty("comments")[0];
        Assert.Equal("<p>the <em>fix</em></p>", shown.GetProperty("html").GetString());
        Assert.True(shown.TryGetProperty("editedAt", out _));
    }

    [Fact]
    public async Task EditWithoutTheRightTokenIsRefused()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var mine = await _client.CommentAsync(site, url, "mine");
        var theirs = await _client.CommentAsync(site, url, "theirs", name: "Other");

        var noToken = await EditAsync(site, mine.Id(), "hijack", null);
        var wrongToken = await EditAsync(site, mine.Id(), "hijack", Token(theirs));
        var deleteWithWrongToken = await DeleteAsync(site, mine.Id(), Token(theirs));

        foreach (var response in new[] { noToken, wrongToken, deleteWithWrongToken })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("edit_token_invalid", (await response.ProblemAsync()).GetProperty("code").GetString());
        }
        Assert.Equal("<p>mine</p>", (await _client.ThreadAsync(site, url)).GetProperty("comments")[0].GetProperty("html").GetString());
    }

    [Fact]
    public async Task EditAndDeleteAfterTheWindowAreRefusedWithAClearCode()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var comment = await _client.CommentAsync(site, url, "settled");
        app.Clock.Advance(TimeSpan.FromMinutes(16));

        var edit = await EditAsync(site, comment.Id(), "too late", Token(comment));
        var delete = await DeleteAsync(site, comment.Id(), Token(comment));

        Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        Assert.Equal("edit_window_closed", (await edit.ProblemAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(1, (await _client.ThreadAsync(site, url)).GetProperty("comments").GetArrayLength());
    }

    [Fact]
    public async Task DeletingACommentWithoutRepliesRemovesIt()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        await _client.CommentAsync(site, url, "stays");
        var comment = await _client.CommentAsync(site, url, "goes");

        var response = await DeleteAsync(site, comment.Id(), Token(comment));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        var thread = await _client.ThreadAsync(site, url);
        Assert.Equal(1, thread.GetProperty("thread").GetProperty("commentCount").GetInt32());
        Assert.Single(thread.GetProperty("comments").EnumerateArray());
    }

    [Fact]
    public async Task DeletingACommentWithRepliesLeavesATombstoneWithoutWordsOrAuthor()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var parent = await _client.CommentAsync(site, url, "regrettable", name: "Hal");
        var reply = await _client.CommentAsync(site, url, "an answer", parentId: parent.Id());

        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(site, parent.Id(), Token(parent))).StatusCode);

        var thread = await _client.ThreadAsync(site, url);
        var comments = thread.GetProperty("comments");
        Assert.Equal(2, comments.GetArrayLength());
        var tombstone = comments[0];
        Assert.Equal("deleted", tombstone.GetProperty("status").GetString());
        Assert.Equal("", tombstone.GetProperty("html").GetString());
        Assert.False(tombstone.TryGetProperty("author", out _));
        Assert.Equal(parent.Id(), comments[1].GetProperty("parentId").GetInt64());
        Assert.Equal(1, thread.GetProperty("thread").GetProperty("commentCount").GetInt32());
        Assert.DoesNotContain("Hal", thread.ToString());

        var editTombstone = await EditAsync(site, parent.Id(), "back again", Token(parent));
        Assert.Equal(HttpStatusCode.Conflict, editTombstone.StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(site, reply.Id(), Token(reply))).StatusCode);
        Assert.Equal(0, (await _client.ThreadAsync(site, url)).GetProperty("comments").GetArrayLength());
    }

    [Fact]
    public async Task CommentsOfAnotherSiteCannotBeReachedThroughThisOne()
    {
        var siteA = await app.CreateSiteAsync();
        var siteB = await app.CreateSiteAsync();
        var comment = await _client.CommentAsync(siteA, ApiCalls.NewPageUrl(), "on site A");

        var edit = await EditAsync(siteB, comment.Id(), "through B", Token(comment));
        var delete = await DeleteAsync(siteB, comment.Id(), Token(comment));
        Assert.Equal(HttpStatusCode.NotFound, edit.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
    }
}

public class ShortEditWindowApp : HearthApp
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Hearth:EditWindow"] = "00:02:00" };
}

public class ConfigurableEditWindowTests(ShortEditWindowApp app) : IClassFixture<ShortEditWindowApp>
{
    [Fact]
    public async Task TheEditWindowFollowsConfiguration()
    {
        var client = app.CreateClient();
        var site = await app.CreateSiteAsync();
        var comment = await client.CommentAsync(site, ApiCalls.NewPageUrl(), "quick");
        Assert.Equal(comment.GetProperty("createdAt").GetDateTime().AddMinutes(2), comment.GetProperty("editableUntil").GetDateTime());
        app.Clock.Advance(TimeSpan.FromMinutes(3));

        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/sites/{site}/comments/{comment.Id()}") { Content = JsonContent.Create(new { body = "x" }) };
        request.Headers.Add("X-Edit-Token", comment.GetProperty("editToken").GetString());
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("edit_window_closed", (await response.ProblemAsync()).GetProperty("code").GetString());
    }
}
