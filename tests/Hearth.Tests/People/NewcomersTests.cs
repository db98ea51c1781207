using System.Net;
using System.Text.Json;
using Hearth.Sites;
using Hearth.Tests.Moderation;

namespace Hearth.Tests.People;

/// <summary>The team sees who is new and still unanswered, oldest first, and the queue marks a first comment here.</summary>
public class NewcomersTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    async Task<JsonElement> PostAsync(string site, string url, string name, long? parentId = null)
    {
        var comment = await _client.CommentAsync(site, url, $"Words {Guid.NewGuid():N}", parentId, name);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        return comment;
    }

    async Task<string[]> NewcomersAsync(string site, string moderator)
    {
        using var response = await _client.AsModeratorAsync(moderator, HttpMethod.Get, $"/api/v1/sites/{site}/people/newcomers");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return [.. JsonDocument.Parse(text).RootElement.GetProperty("newcomers").EnumerateArray().Select(n => n.GetProperty("name").GetString()!)];
    }

    [Fact]
    public async Task NewcomersWhoseFirstCommentNobodyAnsweredAreListedOldestFirstUntilAnsweredOrNoLongerNew()
    {
        var (site, moderator) = await app.SiteWithModeratorAsync();
        var url = ApiCalls.NewPageUrl();
        var asta = await PostAsync(site, url, "Asta");
        // Answering oneself is not being answered.
        await PostAsync(site, url, "Asta", asta.Id());
        app.Clock.Advance(TimeSpan.FromDays(1));
        await PostAsync(site, url, "Bjorn");
        app.Clock.Advance(TimeSpan.FromDays(1));
        var cato = await PostAsync(site, url, "Cato");
        await PostAsync(site, url, "Dora", cato.Id());
        Assert.Equal(["Asta", "Bjorn", "Dora"], await NewcomersAsync(site, moderator));

        var listed = await _client.AsModeratorAsync(moderator, HttpMethod.Get, $"/api/v1/sites/{site}/people/newcomers");
        var first = JsonDocument.Parse(await listed.Content.ReadAsStringAsync()).RootElement.GetProperty("newcomers")[0];
        Assert.Equal(asta.Id(), first.GetProperty("comment").GetProperty("id").GetInt64());
        Assert.Equal(url, first.GetProperty("comment").GetProperty("threadUrl").GetString());

        await PostAsync(site, url, "Welcomer", asta.Id());
        Assert.Equal(["Bjorn", "Dora", "Welcomer"], await NewcomersAsync(site, moderator));
        app.Clock.Advance(TimeSpan.FromDays(13));
        Assert.Equal(["Dora", "Welcomer"], await NewcomersAsync(site, moderator));
    }

    [Fact]
    public async Task TheQueueMarksAFirstCommentHereForTheTeamAndTheThreadDoesNot()
    {
        var (site, moderator) = await app.SiteWithModeratorAsync(ModerationMode.First);
        var url = ApiCalls.NewPageUrl();
        var first = await PostAsync(site, url, "Eir");
        Assert.Equal("pending", first.GetProperty("status").GetString());
        // Held, so not yet for welcoming: no one can answer it.
        Assert.Empty(await NewcomersAsync(site, moderator));

        using (var approved = await _client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{first.Id()}/approve"))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }
        var second = await PostAsync(site, url, "Eir");
        using var queue = await _client.AsModeratorAsync(moderator, HttpMethod.Get, $"/api/v1/sites/{site}/moderation/queue?status=all");
        var items = JsonDocument.Parse(await queue.Content.ReadAsStringAsync()).RootElement.GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.Id(), i => i.GetProperty("firstHere").GetBoolean());
        Assert.True(items[first.Id()]);
        Assert.False(items[second.Id()]);
        Assert.Equal(["Eir"], await NewcomersAsync(site, moderator));

        var thread = await _client.ThreadAsync(site, url);
        Assert.DoesNotContain("firstHere", thread.GetRawText());
    }

    [Fact]
    public async Task TheTeamAnswersANewcomerFromTheListUnderItsOwnNameAndTheyLeaveIt()
    {
        var (site, moderator) = await app.SiteWithModeratorAsync();
        var url = ApiCalls.NewPageUrl();
        var fenna = await PostAsync(site, url, "Fenna");
        var path = $"/api/v1/sites/{site}/people/newcomers/{fenna.Id()}/reply";

        // Words are needed; a refusal stores nothing.
        using (var empty = await _client.AsModeratorAsync(moderator, HttpMethod.Post, path, new { body = "  " }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
            await empty.ProblemAsync();
        }
        Assert.Single((await _client.ThreadAsync(site, url)).GetProperty("comments").EnumerateArray());

        using var replied = await _client.AsModeratorAsync(moderator, HttpMethod.Post, path, new { body = "Welcome, Fenna! Glad you wrote." });
        Assert.Equal(HttpStatusCode.Created, replied.StatusCode);
        var reply = JsonDocument.Parse(await replied.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(fenna.Id(), reply.GetProperty("parentId").GetInt64());
        Assert.Equal("Mo", reply.GetProperty("author").GetProperty("name").GetString());
        Assert.Contains("moderator", reply.GetProperty("author").GetProperty("badges").EnumerateArray().Select(b => b.GetString()));
        var thread = await _client.ThreadAsync(site, url);
        Assert.Equal([fenna.Id(), reply.Id()], thread.GetProperty("comments").EnumerateArray().Select(c => c.Id()));
        Assert.DoesNotContain("Fenna", await NewcomersAsync(site, moderator));

        // Only a public comment of this very site: another site's comment, even by id, is not found there.
        var elsewhere = await app.CreateSiteAsync();
        var there = ApiCalls.NewPageUrl();
        var stranger = await _client.CommentAsync(elsewhere, there, "Somewhere else entirely.", name: "Gerd");
        using var across = await _client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/people/newcomers/{stranger.Id()}/reply",
            new { body = "Not yours to answer here." });
        Assert.Equal(HttpStatusCode.NotFound, across.StatusCode);
        Assert.Equal("comment_not_found", (await across.ProblemAsync()).GetProperty("code").GetString());
        Assert.Equal([stranger.Id()], (await _client.ThreadAsync(elsewhere, there)).GetProperty("comments").EnumerateArray().Select(c => c.Id()));
    }
}
