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
}
