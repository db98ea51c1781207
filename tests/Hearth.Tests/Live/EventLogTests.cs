using System.Net;
using System.Net.Http.Json;
using Hearth.Conversations;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Live;

/// <summary>The log says what happened, to whose comment, between whom, and from which status to which, in a gap-free order.</summary>
public sealed class EventLogTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    Task<List<ThreadEvent>> LogAsync(long threadId) =>
        app.InDatabaseAsync(db => db.ThreadEvents.AsNoTracking().Where(e => e.ThreadId == threadId).OrderBy(e => e.Seq).ToListAsync());

    Task<string> AuthorKeyAsync(long commentId) =>
        app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == commentId).Select(c => c.Author.Key).SingleAsync());

    [Fact]
    public async Task EachChangeIsLoggedWithItsPeopleAndStatuses()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var question = await _client.CommentAsync(site, url, "a question", name: "Asker");
        var answer = await _client.CommentAsync(site, url, "an answer", parentId: question.Id(), name: "Answerer");
        var token = answer.GetProperty("editToken").GetString()!;
        var edit = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/sites/{site}/comments/{answer.Id()}") { Content = JsonContent.Create(new { body = "a better answer" }) };
        edit.Headers.Add("X-Edit-Token", token);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(edit)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsJsonAsync($"/api/v1/sites/{site}/comments/{question.Id()}/vote", new { value = 1 })).StatusCode);
        var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/sites/{site}/comments/{answer.Id()}");
        delete.Headers.Add("X-Edit-Token", token);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(delete)).StatusCode);

        var threadId = await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == question.Id()).Select(c => c.ThreadId).SingleAsync());
        var log = await LogAsync(threadId);
        var asker = await AuthorKeyAsync(question.Id());
        var answerer = log[1].AuthorKey;

        Assert.Equal([1L, 2, 3, 4, 5], log.Select(e => e.Seq));
        Assert.Equal([ThreadEvent.Created, ThreadEvent.Created, ThreadEvent.Updated, ThreadEvent.Voted, ThreadEvent.Deleted], log.Select(e => e.Type));
        Assert.Equal([question.Id(), answer.Id(), answer.Id(), question.Id(), answer.Id()], log.Select(e => e.CommentId));
        Assert.NotNull(answerer);
        Assert.NotEqual(asker, answerer);
        Assert.Equal([asker, answerer, answerer, asker, answerer], log.Select(e => e.AuthorKey));
        // The reply's events name whom it answers; the question answers no one.
        Assert.Equal([null, asker, asker, null, asker], log.Select(e => e.ParentAuthorKey));
        // Authors act on their own comments; a vote is anonymous.
        Assert.Equal([asker, answerer, answerer, null, answerer], log.Select(e => e.ActorKey));
        Assert.Equal([null, null, CommentStatus.Published, CommentStatus.Published, CommentStatus.Published], log.Select(e => e.StatusBefore));
        // The removed reply had no replies: it is gone, not a tombstone.
        Assert.Equal([CommentStatus.Published, CommentStatus.Published, CommentStatus.Published, CommentStatus.Published, null], log.Select(e => e.StatusAfter));
        Assert.Equal(5, await app.InDatabaseAsync(db => db.Threads.Where(t => t.Id == threadId).Select(t => t.EventSeq).SingleAsync()));
    }

    [Fact]
    public async Task ConcurrentWritesToOneThreadGetEveryPlaceOnce()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        await _client.CommentAsync(site, url, "opening");
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => _client.CommentAsync(site, url, $"at once {i}", name: $"Writer {i}")));
        var threadId = await app.InDatabaseAsync(db => db.Threads.Where(t => t.Url == url).Select(t => t.Id).SingleAsync());
        Assert.Equal(Enumerable.Range(1, 21).Select(n => (long)n), (await LogAsync(threadId)).Select(e => e.Seq));
    }
}
