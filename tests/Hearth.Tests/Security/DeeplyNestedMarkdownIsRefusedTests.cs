using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Security;

/// <summary>
/// Markdown nested past what the parser takes (hundreds of quote marks, lists in lists) is a 400 naming the body on
/// preview, post and edit, never a 500 with a stack trace, and nothing of it is stored.
/// </summary>
public class DeeplyNestedMarkdownIsRefusedTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    public static TheoryData<string, string> DeepBodies => new()
    {
        { "200 quote marks", new string('>', 200) + " hello" },
        { "quotes as deep as the body allows", new string('>', 9_990) + " hello" },
        { "lists in lists", string.Concat(Enumerable.Range(0, 60).Select(i => new string(' ', i * 2) + "- item\n")) },
        { "quoted lists", string.Concat(Enumerable.Repeat("> - ", 100)) + "hello" },
        { "emphasis in emphasis", new string('*', 1_000) + "hello" + new string('*', 1_000) },
    };

    [Theory]
    [MemberData(nameof(DeepBodies))]
    public async Task PreviewAnswersAProblemAboutTheBody(string kind, string body)
    {
        var site = await app.CreateSiteAsync();
        var response = await _client.PostAsJsonAsync($"/api/v1/sites/{site}/preview", new { body });
        await AssertRefusedAsync(response, kind);
    }

    [Theory]
    [MemberData(nameof(DeepBodies))]
    public async Task PostingAnswersAProblemAboutTheBodyAndStoresNothing(string kind, string body)
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var response = await _client.PostCommentAsync(site, new { url, body, author = new { name = "Deep" } });
        await AssertRefusedAsync(response, kind);
        Assert.False(await app.InDatabaseAsync(db => db.Threads.AnyAsync(t => t.Url == url)), "A thread was created for a refused comment.");
    }

    [Theory]
    [MemberData(nameof(DeepBodies))]
    public async Task EditingAnswersAProblemAboutTheBodyAndKeepsTheWords(string kind, string body)
    {
        var site = await app.CreateSiteAsync();
        var comment = await _client.CommentAsync(site, ApiCalls.NewPageUrl(), "> a quote\n\nand words");
        var edit = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/sites/{site}/comments/{comment.Id()}") { Content = JsonContent.Create(new { body }) };
        edit.Headers.Add("X-Edit-Token", comment.GetProperty("editToken").GetString());
        await AssertRefusedAsync(await _client.SendAsync(edit), kind);

        var stored = await app.InDatabaseAsync(db => db.Comments.AsNoTracking().SingleAsync(c => c.Id == comment.Id()));
        Assert.Equal("> a quote\n\nand words", stored.Source);
        Assert.Null(stored.EditedAt);
    }

    [Fact]
    public async Task QuotesAndListsAFewLevelsDeepStillRender()
    {
        var site = await app.CreateSiteAsync();
        var body = ">>>>>>>>>> ten levels of quote\n\n- a\n  - b\n    - c\n      - d\n        - e";
        var response = await _client.PostAsJsonAsync($"/api/v1/sites/{site}/preview", new { body });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("html").GetString()!;
        Assert.Equal(10, System.Text.RegularExpressions.Regex.Count(html, "<blockquote>"));
        Assert.Equal(5, System.Text.RegularExpressions.Regex.Count(html, "<ul>"));
    }

    static async Task AssertRefusedAsync(HttpResponseMessage response, string kind)
    {
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{kind}: expected 400, got {(int)response.StatusCode}");
        var problem = await response.ProblemAsync();
        Assert.Equal("validation", problem.GetProperty("code").GetString());
        var message = problem.GetProperty("errors").GetProperty("body")[0].GetString()!;
        Assert.Contains("nested too deeply", message);
        Assert.DoesNotContain("   at ", problem.ToString());
    }
}
