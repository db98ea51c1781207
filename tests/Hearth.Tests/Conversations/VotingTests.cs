using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Conversations;

public class VotingTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    async Task<JsonElement> VoteAsync(string site, long id, int value, string voterIp, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/comments/{id}/vote") { Content = JsonContent.Create(new { value }) };
        request.Headers.Add("X-Forwarded-For", voterIp);
        var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {expected}, got {response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task AVoterCountsOnceHoweverOftenTheyVote()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var comment = await _client.CommentAsync(site, url, "vote for me");

        await VoteAsync(site, comment.Id(), 1, "203.0.113.7");
        var again = await VoteAsync(site, comment.Id(), 1, "203.0.113.7");

        Assert.Equal(1, again.GetProperty("score").GetInt32());
        Assert.Equal(1, (await _client.ThreadAsync(site, url)).GetProperty("comments")[0].GetProperty("score").GetInt32());
    }

    [Fact]
    public async Task AVoterCanChangeTheirMindOrTakeTheVoteBack()
    {
        var site = await app.CreateSiteAsync();
        var comment = await _client.CommentAsync(site, ApiCalls.NewPageUrl(), "hmm");

        Assert.Equal(1, (await VoteAsync(site, comment.Id(), 1, "198.51.100.1")).GetProperty("score").GetInt32());
        var changed = await VoteAsync(site, comment.Id(), -1, "198.51.100.1");
        Assert.Equal(-1, changed.GetProperty("score").GetInt32());
        Assert.Equal(0, changed.GetProperty("upvotes").GetInt32());
        Assert.Equal(0, (await VoteAsync(site, comment.Id(), 0, "198.51.100.1")).GetProperty("score").GetInt32());
    }

    [Fact]
    public async Task VotesOfDifferentPeopleAddUpAndNoAddressIsStored()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var comment = await _client.CommentAsync(site, url, "popular");
        for (var i = 1; i <= 5; i++)
        {
            await VoteAsync(site, comment.Id(), 1, $"192.0.2.{i}");
        }
        await VoteAsync(site, comment.Id(), -1, "192.0.2.99");

        var shown = (await _client.ThreadAsync(site, url)).GetProperty("comments")[0];
        Assert.Equal(4, shown.GetProperty("score").GetInt32());
        Assert.Equal(5, shown.GetProperty("upvotes").GetInt32());
        var voterKeys = await app.InDatabaseAsync(db => db.Votes.Where(v => v.CommentId == comment.Id()).Select(v => v.VoterKey).ToListAsync());
        Assert.Equal(6, voterKeys.Count);
        Assert.All(voterKeys, key => Assert.DoesNotContain("192.0.2", key));
    }

    [Fact]
    public async Task BestSortPutsTheMostConvincinglyLikedCommentFirst()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var lucky = await _client.CommentAsync(site, url, "one vote, all positive");
        var solid = await _client.CommentAsync(site, url, "many votes, mostly positive");
        var plain = await _client.CommentAsync(site, url, "no votes");
        await VoteAsync(site, lucky.Id(), 1, "10.0.0.1");
        for (var i = 0; i < 12; i++)
        {
            await VoteAsync(site, solid.Id(), 1, $"10.0.1.{i}");
        }
        await VoteAsync(site, solid.Id(), -1, "10.0.2.1");

        var order = (await _client.ThreadAsync(site, url, "&sort=best")).GetProperty("comments").EnumerateArray().Select(c => c.Id());
        Assert.Equal([solid.Id(), lucky.Id(), plain.Id()], order);
    }

    [Fact]
    public async Task AVoteMustBeUpDownOrZero()
    {
        var site = await app.CreateSiteAsync();
        var comment = await _client.CommentAsync(site, ApiCalls.NewPageUrl(), "x");
        var problem = await VoteAsync(site, comment.Id(), 5, "10.9.9.9", HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("value", out _));
        await VoteAsync(site, 999_999, 1, "10.9.9.9", HttpStatusCode.NotFound);
    }
}
