using System.Text.Json;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

/// <summary>A parent redrawn by a live update draws its replies as they are now, not as they were at the last full draw.</summary>
[Collection(WidgetCollection.Name)]
public class StaleReplyTests(BrowserFixture fx)
{
    [Fact]
    public async Task After_a_parent_is_edited_and_voted_on_every_reader_sees_each_comment_and_reply_as_the_API_has_it()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));

        await using var editor = await fx.NewReaderAsync();
        await using var watcher = await fx.NewReaderAsync();
        await editor.OpenAsync(url);
        await editor.PostAsync("The ferry runs hourly.", name: "Ada");
        var parent = editor.Comment("The ferry runs hourly.");
        var parentId = long.Parse((await parent.GetAttributeAsync("id"))!.TrimStart('c'));
        var first = await fx.Hearth.CommentAsync(site, url, "Not on Sundays.", parentId, name: "Grace");
        var second = await fx.Hearth.CommentAsync(site, url, "And it is cash only.", first.Id(), name: "Linus");

        await editor.Page.ReloadAsync();
        await watcher.OpenAsync(url);
        await Expect(editor.Comments).ToHaveCountAsync(3);
        await Expect(watcher.Comments).ToHaveCountAsync(3);
        await LiveTests.LiveStreamOpenAsync(watcher);
        await Wait.UntilAsync(() => editor.LiveResponses > 0, "the editor's live stream to open");

        // The replies change first, through the API: both pages redraw them one by one.
        await EditAsync(site, first, "Not on Sundays or holidays.");
        await fx.Hearth.VoteAsync(site, first.Id(), 1, "10.0.9.1");
        await fx.Hearth.VoteAsync(site, second.Id(), -1, "10.0.9.2");
        await Expect(watcher.Comment("holidays").Locator("> article .score")).ToHaveTextAsync("1");

        // Then the parent changes in the editor's page: its redraw, here and for the watcher, carries its replies.
        await parent.Locator("> article button", new() { HasText = "Edit" }).ClickAsync();
        await parent.Locator("> article textarea").FillAsync("The ferry runs every half hour.");
        await parent.Locator("> article button[type=submit]").ClickAsync();
        var edited = editor.Comment("every half hour");
        await Expect(edited.Locator("> article header")).ToContainTextAsync("edited");
        await edited.Locator("> article button.vote.up").ClickAsync();
        await Expect(edited.Locator("> article .score")).ToHaveTextAsync("1");
        await Expect(watcher.Comment("every half hour").Locator("> article .score")).ToHaveTextAsync("1");

        var thread = await ThreadAsync(site, url);
        foreach (var reader in new[] { watcher, editor })
        {
            foreach (var comment in thread.GetProperty("comments").EnumerateArray())
            {
                var article = reader.Thread.Locator($"#a{comment.Id()}");
                var text = Regex.Replace(comment.GetProperty("html").GetString()!, "<[^>]+>", "").Trim();
                await Expect(article.Locator(".body")).ToHaveTextAsync(text);
                await Expect(article.Locator(".score")).ToHaveTextAsync(comment.GetProperty("score").GetInt32().ToString());
                var header = article.Locator("header");
                if (!comment.TryGetProperty("editedAt", out var editedAt) || editedAt.ValueKind == JsonValueKind.Null)
                {
                    await Expect(header).Not.ToContainTextAsync("edited");
                }
                else
                {
                    await Expect(header).ToContainTextAsync("edited");
                }
            }
        }
        await watcher.ScreenshotAsync("stale-replies-watcher");
        Assert.Empty(watcher.PageErrors);
        Assert.Empty(editor.PageErrors);
    }

    async Task<JsonElement> ThreadAsync(string site, string url)
    {
        var text = await fx.Hearth.Api.GetStringAsync($"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}");
        var thread = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(3, thread.GetProperty("comments").GetArrayLength());
        return thread;
    }

    async Task EditAsync(string site, JsonElement comment, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/sites/{site}/comments/{comment.Id()}")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { body }),
        };
        request.Headers.Add("X-Edit-Token", comment.GetProperty("editToken").GetString());
        var response = await fx.Hearth.Api.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
