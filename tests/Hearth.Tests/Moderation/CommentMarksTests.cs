using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Tests.Identity;

namespace Hearth.Tests.Moderation;

/// <summary>Pinning, featuring and editing as a moderator, seen from the moderators' API and from the public thread.</summary>
public class CommentMarksTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task APinnedCommentOpensTheThreadInEveryOrderAndIsNotRepeatedOnLaterPages()
    {
        var (site, token) = await app.SiteWithModeratorAsync();
        var url = ApiCalls.NewPageUrl();
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            ids.Add((await _client.CommentAsync(site, url, $"Comment {i} on the harbour plans")).Id());
        }
        var reply = await _client.CommentAsync(site, url, "A reply to the pinned one", parentId: ids[2]);

        using var pin = await _client.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{ids[2]}/pin");
        Assert.Equal(HttpStatusCode.OK, pin.StatusCode);
        Assert.True((await pin.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("pinned").GetBoolean());

        foreach (var sort in new[] { "oldest", "newest", "best" })
        {
            var first = await _client.ThreadAsync(site, url, $"&sort={sort}&limit=2");
            var shown = first.GetProperty("comments").EnumerateArray().Select(c => c.Id()).ToList();
            Assert.Equal(ids[2], shown[0]);
            Assert.Equal(reply.Id(), shown[1]);
            var seen = new List<long>(shown);
            var cursor = first.GetProperty("nextCursor").GetString();
            while (cursor is not null)
            {
                var next = await _client.ThreadAsync(site, url, $"&sort={sort}&limit=2&cursor={Uri.EscapeDataString(cursor)}");
                seen.AddRange(next.GetProperty("comments").EnumerateArray().Select(c => c.Id()));
                cursor = next.GetProperty("nextCursor").GetString();
            }
            Assert.Equal(6, seen.Count);
            Assert.Equal(6, seen.Distinct().Count());
        }

        using var replyPin = await _client.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{reply.Id()}/pin");
        Assert.Equal(HttpStatusCode.BadRequest, replyPin.StatusCode);

        using var unpin = await _client.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{ids[2]}/unpin");
        var oldest = await _client.ThreadAsync(site, url, "&sort=oldest");
        Assert.Equal(ids[0], oldest.GetProperty("comments")[0].Id());
        Assert.False(oldest.GetProperty("comments")[0].TryGetProperty("pinned", out _));
    }

    [Fact]
    public async Task AModeratorsEditIsShownAsSuchAndAuditedWithTheWordsBefore()
    {
        var (site, token) = await app.SiteWithModeratorAsync();
        var url = ApiCalls.NewPageUrl();
        var comment = await _client.CommentAsync(site, url, "Call me on 555-0100 any time");

        using var edit = await _client.AsModeratorAsync(token, HttpMethod.Patch, $"/api/v1/sites/{site}/moderation/comments/{comment.Id()}",
            new { body = "Call me any time (number removed by a moderator)" });
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        using var feature = await _client.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{comment.Id()}/feature");
        Assert.Equal(HttpStatusCode.OK, feature.StatusCode);

        var shown = (await _client.ThreadAsync(site, url)).GetProperty("comments")[0];
        Assert.Contains("number removed", shown.GetProperty("html").GetString());
        Assert.True(shown.GetProperty("editedByModerator").GetBoolean());
        Assert.True(shown.GetProperty("featured").GetBoolean());

        using var audit = await _client.AsModeratorAsync(token, HttpMethod.Get, $"/api/v1/sites/{site}/moderation/audit?q=edit");
        var entry = (await audit.Content.ReadFromJsonAsync<JsonElement>())[0];
        Assert.Equal("Call me on 555-0100 any time", entry.GetProperty("before").GetString());
        Assert.Equal("Mo", entry.GetProperty("actor").GetString());

        using var empty = await _client.AsModeratorAsync(token, HttpMethod.Patch, $"/api/v1/sites/{site}/moderation/comments/{comment.Id()}", new { body = "" });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("number removed", (await _client.ThreadAsync(site, url)).GetProperty("comments")[0].GetProperty("html").GetString());

        using var bogus = await _client.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{comment.Id()}/sparkle");
        Assert.Equal(HttpStatusCode.BadRequest, bogus.StatusCode);
    }

    [Fact]
    public async Task TheAuthorCannotUndoAModeratorsEditAndOnlyAFewPublishedCommentsArePinned()
    {
        var (site, token) = await app.SiteWithModeratorAsync();
        var url = ApiCalls.NewPageUrl();
        var comment = await _client.CommentAsync(site, url, "My number is 555-0100, call me");
        using (var edit = await _client.AsModeratorAsync(token, HttpMethod.Patch, $"/api/v1/sites/{site}/moderation/comments/{comment.Id()}", new { body = "(number removed)" }))
        {
            Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        }
        var undo = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/sites/{site}/comments/{comment.Id()}") { Content = JsonContent.Create(new { body = "My number is 555-0100" }) };
        undo.Headers.Add("X-Edit-Token", comment.GetProperty("editToken").GetString());
        using var undone = await _client.SendAsync(undo);
        Assert.Equal(HttpStatusCode.Conflict, undone.StatusCode);
        Assert.Equal("moderator_edited", (await undone.ProblemAsync()).GetProperty("code").GetString());
        Assert.Contains("number removed", (await _client.ThreadAsync(site, url)).GetProperty("comments")[0].GetProperty("html").GetString());

        var ids = new List<long> { comment.Id() };
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await _client.CommentAsync(site, url, $"Another top-level comment {i}")).Id());
        }
        for (var i = 0; i < 3; i++)
        {
            using var pin = await _client.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{ids[i]}/pin");
            Assert.Equal(HttpStatusCode.OK, pin.StatusCode);
        }
        using var fourth = await _client.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{ids[3]}/pin");
        Assert.Equal(HttpStatusCode.BadRequest, fourth.StatusCode);

        using var reject = await _client.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{ids[3]}/reject");
        using var feature = await _client.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{ids[3]}/feature");
        Assert.Equal(HttpStatusCode.BadRequest, feature.StatusCode);
    }
}
