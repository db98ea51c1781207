using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Sites;

namespace Hearth.Tests.Moderation;

/// <summary>
/// A page of the moderation queue costs the same few commands however many comments it shows and however many
/// authors wrote them: the comments answered, the authors' histories and the reports are read once for the page.
/// </summary>
public sealed class ModerationQueueCostTests(MeasuredHearthApp app) : IClassFixture<MeasuredHearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task AFullPageCostsTheCommandsOfAPageOfOneAndCountsEachAuthorsHistory()
    {
        var (site, token) = await app.SiteWithModeratorAsync(ModerationMode.Pre);
        var url = ApiCalls.NewPageUrl();
        var first = await PostAsync(site, url, "The first, approved", "Author 0", parentId: null);
        using (var approved = await _client.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{first}/approve"))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }
        await PostAsync(site, url, "An answer to it, waiting", "Author 1", parentId: first);
        var few = await QueueCommandsAsync(site, token);
        Assert.Single(few.Items);

        for (var i = 0; i < 30; i++)
        {
            await PostAsync(site, url, $"Words number {i}, different each time", $"Author {i % 10}", parentId: i % 3 == 0 ? first : null);
        }
        var many = await QueueCommandsAsync(site, token);
        Assert.Equal((1, 1, 1), few.Lookups);
        Assert.Equal((1, 1, 1), many.Lookups);
        Assert.Equal(31, many.Items.Count);

        // Author 0 has one comment published (the first) and three waiting (i = 0, 10, 20).
        var author0 = many.Items.First(i => i.GetProperty("author").GetProperty("name").GetString() == "Author 0").GetProperty("author");
        Assert.Equal((1, 3), (author0.GetProperty("published").GetInt32(), author0.GetProperty("held").GetInt32()));
        var answer = many.Items.Single(i => i.GetProperty("source").GetString() == "An answer to it, waiting");
        Assert.Equal(first, answer.GetProperty("parent").GetProperty("id").GetInt64());
    }

    /// <summary>
    /// The page, and how many commands read the comments answered, the authors' histories and the reports. Counted by
    /// what they read, not all at once: the server's background rounds (leases, notifications) may run meanwhile.
    /// </summary>
    async Task<((int Answered, int Histories, int Reports) Lookups, List<JsonElement> Items)> QueueCommandsAsync(string site, string token)
    {
        app.Meter.Start();
        using var response = await _client.AsModeratorAsync(token, HttpMethod.Get, $"/api/v1/sites/{site}/moderation/queue");
        var commands = app.Meter.Stop().Select(c => c.Sql).ToList();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().ToList();
        // Quotes aside, SQLite's and PostgreSQL's texts are the same.
        var answered = commands.Count(c => c.Replace("\"", "", StringComparison.Ordinal).StartsWith("SELECT c.Id, c.Author_Name, c.Html", StringComparison.Ordinal));
        var histories = commands.Count(c => c.Contains("\"Author_Key\"", StringComparison.Ordinal) && c.Contains("count(", StringComparison.OrdinalIgnoreCase)
            && c.Contains("FROM \"Comments\"", StringComparison.Ordinal));
        var reports = commands.Count(c => c.Contains("FROM \"Reports\"", StringComparison.Ordinal));
        return ((answered, histories, reports), items);
    }

    async Task<long> PostAsync(string site, string url, string body, string name, long? parentId)
    {
        using var response = await _client.PostCommentAsync(site, new { url, parentId, body, author = new { name } });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        // A minute apart, as people write: the pace check is not what this is about.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        return JsonDocument.Parse(text).RootElement.Id();
    }
}
