using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Identity;
using Hearth.Sites;
using Hearth.Tests.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Moderation;

public class ModerationQueueTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    Task<(string Site, string Token)> SiteWithModeratorAsync(ModerationMode mode) => app.SiteWithModeratorAsync(mode);

    Task<HttpResponseMessage> AsModeratorAsync(string token, HttpMethod method, string path, object? body = null) =>
        _client.AsModeratorAsync(token, method, path, body);

    [Fact]
    public async Task TheQueueShowsWhatWaitsWithItsThreadContextAuthorHistoryAndReason()
    {
        var (site, token) = await SiteWithModeratorAsync(ModerationMode.Pre);
        var url = ApiCalls.NewPageUrl();
        var parent = await _client.CommentAsync(site, url, "The parent, still waiting", name: "Pia");
        using var reply = await _client.PostCommentAsync(site, new { url, parentId = (long?)null, body = "A second from Pia", author = new { name = "Pia", email = "pia@mail.example" } });

        using var response = await AsModeratorAsync(token, HttpMethod.Get, $"/api/v1/sites/{site}/moderation/queue");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        var newest = items[0];
        Assert.Equal("pre_moderation", newest.GetProperty("reason").GetString());
        Assert.Equal(url, newest.GetProperty("thread").GetProperty("url").GetString());
        Assert.Equal("pia@mail.example", newest.GetProperty("author").GetProperty("email").GetString());
        Assert.Equal("A second from Pia", newest.GetProperty("source").GetString());
        Assert.Equal(1, items[1].GetProperty("author").GetProperty("held").GetInt32());
        Assert.Equal(parent.Id(), items[1].GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task ApprovingPublishesRejectingAndSpamHideAndEveryDecisionIsAudited()
    {
        var (site, token) = await SiteWithModeratorAsync(ModerationMode.Pre);
        var url = ApiCalls.NewPageUrl();
        var ids = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await _client.CommentAsync(site, url, $"Comment number {i} about the mill")).Id());
        }

        using var approve = await AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{ids[0]}/approve");
        using var bulk = await AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/bulk", new { ids = new[] { ids[1], ids[2], 999_999L }, action = "approve" });
        using var spam = await AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{ids[3]}/spam");
        using var unpublish = await AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{ids[2]}/reject");

        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        var bulkResult = await bulk.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, bulkResult.GetProperty("changed").GetInt32());
        Assert.Equal(999_999L, bulkResult.GetProperty("notFound")[0].GetInt64());
        var thread = await _client.ThreadAsync(site, url, "&sort=oldest");
        Assert.Equal(2, thread.GetProperty("thread").GetProperty("commentCount").GetInt32());
        Assert.Equal(new[] { ids[0], ids[1] }, thread.GetProperty("comments").EnumerateArray().Select(c => c.Id()).ToArray());

        using var spamQueue = await AsModeratorAsync(token, HttpMethod.Get, $"/api/v1/sites/{site}/moderation/queue?status=spam");
        Assert.Equal(ids[3], (await spamQueue.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items")[0].Id());
        using var audit = await AsModeratorAsync(token, HttpMethod.Get, $"/api/v1/sites/{site}/moderation/audit");
        var entries = (await audit.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
        Assert.Equal(5, entries.Count);
        Assert.Equal(("Mo", "reject", $"comment {ids[2]}", "published", "rejected"),
            (entries[0].GetProperty("actor").GetString(), entries[0].GetProperty("action").GetString(), entries[0].GetProperty("target").GetString(),
             entries[0].GetProperty("before").GetString(), entries[0].GetProperty("after").GetString()));
    }

    [Fact]
    public async Task TheAuditLogIsSearchableExportsSafeCsvAndRecordsSettingChanges()
    {
        var (site, token) = await SiteWithModeratorAsync(ModerationMode.Pre);
        var comment = await _client.CommentAsync(site, ApiCalls.NewPageUrl(), "=HYPERLINK(\"http://evil.example\")");
        using (await AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{comment.Id()}/spam")) { }
        await app.InDatabaseAsync(async db =>
        {
            db.AuditLog.Add(new Hearth.Moderation.AuditEntry { SiteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync(), ActorName = "=cmd|' /C calc'!A0", Action = "settings", Target = $"site {site}", At = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });

        using var searched = await AsModeratorAsync(token, HttpMethod.Get, $"/api/v1/sites/{site}/moderation/audit?q=spam");
        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/moderation/audit?format=csv");
        csvRequest.Headers.Authorization = new("Bearer", token);
        using var csv = await _client.SendAsync(csvRequest, HttpCompletionOption.ResponseHeadersRead);

        Assert.Single((await searched.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        // Sent as it is read from the database, so no length is known before.
        Assert.Null(csv.Content.Headers.ContentLength);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("at,actor,action,target,before,after", lines[0]);
        Assert.Contains("\"'=cmd|' /C calc'!A0\"", lines[1]);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public async Task ACommentOfAnotherSiteCannotBeDecidedHere()
    {
        var (site, token) = await SiteWithModeratorAsync(ModerationMode.Pre);
        var other = await app.CreateSiteAsync(moderation: ModerationMode.Pre);
        var foreign = await _client.CommentAsync(other, ApiCalls.NewPageUrl(), "Waiting on the other site");

        using var response = await AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{foreign.Id()}/approve");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("pending", await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == foreign.Id()).Select(c => c.Status).SingleAsync()).ContinueWith(t => Hearth.Conversations.CommentStatusNames.ToWire(t.Result)));
        using var badAction = await AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{foreign.Id()}/delete-everything");
        Assert.Equal(HttpStatusCode.BadRequest, badAction.StatusCode);
    }

    [Fact]
    public async Task AModeratorLocksAndUnlocksAThreadAndDeletesAComment()
    {
        var (site, token) = await SiteWithModeratorAsync(Hearth.Sites.ModerationMode.Post);
        var url = ApiCalls.NewPageUrl();
        var answered = await _client.CommentAsync(site, url, "Rude, but answered");
        await _client.CommentAsync(site, url, "A calm answer", parentId: answered.Id());
        var threadId = await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == answered.Id()).Select(c => c.ThreadId).SingleAsync());

        using var locked = await AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/threads/{threadId}/lock");
        Assert.True((await locked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("locked").GetBoolean());
        using var refused = await _client.PostCommentAsync(site, new { url, body = "Can I still?", author = new { name = "Late" } });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using (await AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/threads/{threadId}/unlock")) { }
        using var allowed = await _client.PostCommentAsync(site, new { url, body = "Now I can.", author = new { name = "Late" } });
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);

        using var deleted = await AsModeratorAsync(token, HttpMethod.Delete, $"/api/v1/sites/{site}/moderation/comments/{answered.Id()}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var thread = await _client.ThreadAsync(site, url, "&sort=oldest");
        Assert.Equal(2, thread.GetProperty("thread").GetProperty("commentCount").GetInt32());
        Assert.Equal("deleted", thread.GetProperty("comments")[0].GetProperty("status").GetString());
        var actions = await app.InDatabaseAsync(db => db.AuditLog.Where(a => a.ActorName == "Mo").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        Assert.Equal(["lock", "unlock", "delete"], actions.TakeLast(3));
        using var badAction = await AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/threads/{threadId}/burn");
        Assert.Equal(HttpStatusCode.BadRequest, badAction.StatusCode);
    }
}
