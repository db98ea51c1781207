using System.Net;
using System.Net.Http.Json;
using Hearth.Conversations;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Security;

/// <summary>
/// One body cannot buy a second of the server's time: Markdig's search for the end of every open link text grows with
/// the square of the brackets, so a comment with more than a few hundred '[' is a 400 naming the body, before parsing,
/// on preview and on post, and nothing of it is stored. Ordinary bracket use still renders.
/// </summary>
public class MarkdownThatCostsTooMuchIsRefusedTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    public static TheoryData<string, string> CostlyBodies => new()
    {
        { "open then closed brackets", new string('[', 4_999) + new string(']', 4_999) },
        { "nested pairs", string.Concat(Enumerable.Repeat("[[", 2_500)) + string.Concat(Enumerable.Repeat("]]", 2_400)) },
        { "link texts never closed", string.Concat(Enumerable.Repeat("[x ", 600)) },
    };

    [Theory]
    [MemberData(nameof(CostlyBodies))]
    public async Task PreviewAndPostAnswerAProblemAboutTheBodyAndStoreNothing(string kind, string body)
    {
        var site = await app.CreateSiteAsync();
        await AssertRefusedAsync(await _client.PostAsJsonAsync($"/api/v1/sites/{site}/preview", new { body }), kind);

        var url = ApiCalls.NewPageUrl();
        await AssertRefusedAsync(await _client.PostCommentAsync(site, new { url, body, author = new { name = "Brackets" } }), kind);
        Assert.False(await app.InDatabaseAsync(db => db.Threads.AnyAsync(t => t.Url == url)), "A thread was created for a refused comment.");
    }

    [Fact]
    public async Task ACommentWithManyLinksAndBracketsStillRenders()
    {
        var site = await app.CreateSiteAsync();
        var body = string.Concat(Enumerable.Range(0, 120).Select(i => $"[{i}] and [page](https://blog.example/{i}) "));
        Assert.True(body.Count(c => c == '[') <= MarkdownRenderer.MaxBrackets);
        var response = await _client.PostAsJsonAsync($"/api/v1/sites/{site}/preview", new { body });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("html").GetString()!;
        Assert.Equal(120, System.Text.RegularExpressions.Regex.Count(html, "<a "));
    }

    static async Task AssertRefusedAsync(HttpResponseMessage response, string kind)
    {
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{kind}: expected 400, got {(int)response.StatusCode}");
        var problem = await response.ProblemAsync();
        Assert.Equal("validation", problem.GetProperty("code").GetString());
        Assert.Contains("square brackets", problem.GetProperty("errors").GetProperty("body")[0].GetString());
    }
}
