using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Conversations;
using Hearth.Sites;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Conversations;

public class OwnHeldCommentsTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    async Task<List<JsonElement>> MineAsync(string site, params object[] comments)
    {
        using var response = await _client.PostAsJsonAsync($"/api/v1/sites/{site}/comments/mine", new { comments });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()];
    }

    [Fact]
    public async Task OnlyTheEditTokenShowsAWaitingCommentAndARejectedOneIsNotShownAgain()
    {
        var site = await app.CreateSiteAsync(moderation: ModerationMode.Pre);
        var url = ApiCalls.NewPageUrl();
        var waiting = await _client.CommentAsync(site, url, "Waiting for a moderator");
        var rejected = await _client.CommentAsync(site, url, "Soon to be rejected");
        var token = waiting.GetProperty("editToken").GetString();

        var mine = await MineAsync(site, new { id = waiting.Id(), editToken = token }, new { id = rejected.Id(), editToken = token });
        Assert.Equal([waiting.Id()], mine.Select(c => c.Id()));
        Assert.Equal("pending", mine[0].GetProperty("status").GetString());
        Assert.False(mine[0].TryGetProperty("editToken", out _));

        await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == rejected.Id())
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.Status, CommentStatus.Rejected)));
        Assert.Empty(await MineAsync(site, new { id = rejected.Id(), editToken = rejected.GetProperty("editToken").GetString() }));

        // Once approved it is answered as published, as a shadow-banned one would be: the two cannot be told apart.
        await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == waiting.Id())
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.Status, CommentStatus.Published)));
        Assert.Equal("published", (await MineAsync(site, new { id = waiting.Id(), editToken = token })).Single().GetProperty("status").GetString());

        // Another site never answers for this one's comments.
        var other = await app.CreateSiteAsync();
        Assert.Empty(await MineAsync(other, new { id = waiting.Id(), editToken = token }));

        using var tooMany = await _client.PostAsJsonAsync($"/api/v1/sites/{site}/comments/mine",
            new { comments = Enumerable.Range(1, 51).Select(i => new { id = i, editToken = "x" }) });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
    }
}
