using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Tests.Identity;
using Hearth.Tests.Live;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Notifications;

/// <summary>Many open inboxes cost a write the same as one: the node reads new notifications once for all of them.</summary>
public class LiveInboxCostTests(MeasuredHearthApp app) : IClassFixture<MeasuredHearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    /// <summary>The node's look for new notifications, as sent: by primary key, after its mark.</summary>
    static bool IsInboxLook(string sql) => sql.Contains("FROM \"Notifications\"", StringComparison.Ordinal) && sql.Contains("\"Id\" > @", StringComparison.Ordinal)
        && sql.StartsWith("SELECT", StringComparison.Ordinal);

    [Fact]
    public async Task AWriteCostsOneLookWhateverTheNumberOfInboxesOpen()
    {
        var site = await app.CreateSiteAsync();
        var secret = await app.EnableSsoAsync(site);
        var page = ApiCalls.NewPageUrl();
        var streams = new List<(HttpResponseMessage Response, SseReader Reader)>();
        var questions = new List<long>();

        // With no inbox open on the node, a reply costs no look at all.
        var first = await _client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: "reader-alone", name: "Reader Alone")));
        using (var asked = await _client.PostAsMemberAsync(site, first, new { url = page, body = "Nobody is watching this question." }))
        {
            var alone = (await asked.Content.ReadFromJsonAsync<JsonElement>()).Id();
            app.Meter.Start();
            var answered = (await _client.CommentAsync(site, page, "Someone answered it anyway.", alone, "Tim Table")).Id();
            await app.InDatabaseAsync(db => db.Notifications.SingleAsync(n => n.CommentId == answered));
            Assert.DoesNotContain(app.Meter.Stop(), c => IsInboxLook(c.Sql));
        }
        try
        {
            for (var i = 0; i < 12; i++)
            {
                var token = await _client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: $"reader-{i}", name: $"Reader {i}")));
                using var asked = await _client.PostAsMemberAsync(site, token, new { url = page, body = $"Question number {i} about the timetable." });
                questions.Add((await asked.Content.ReadFromJsonAsync<JsonElement>()).Id());
                var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/inbox/live");
                request.Headers.Authorization = new("Bearer", token);
                var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var reader = new SseReader(await response.Content.ReadAsStreamAsync());
                streams.Add((response, reader));
                Assert.Equal("ready", (await reader.NextAsync(TimeSpan.FromSeconds(30))).Type);
            }

            // The looks the setup's writes asked for are done once the first reader hears of an answer; one may still wait.
            await _client.CommentAsync(site, page, "Settling in.", questions[0], "Tim Table");
            Assert.Equal("notification", (await streams[0].Reader.NextChangeAsync(TimeSpan.FromSeconds(30))).Type);

            app.Meter.Start();
            // A write for nobody with an inbox, then a reply to the last reader, whose stream says when the node has read both.
            await _client.CommentAsync(site, ApiCalls.NewPageUrl(), "Unrelated: the café opens at eight.", name: "Guest");
            var reply = (await _client.CommentAsync(site, page, "The timetable changes in June.", questions[^1], "Tim Table")).Id();
            var heard = await streams[^1].Reader.NextChangeAsync(TimeSpan.FromSeconds(30));
            var commands = app.Meter.Stop();

            Assert.Equal("notification", heard.Type);
            Assert.Equal(await app.InDatabaseAsync(db => db.Notifications.Where(n => n.CommentId == reply).Select(n => n.Id).SingleAsync()),
                JsonDocument.Parse(heard.Data).RootElement.GetProperty("id").GetInt64());
            // Two writes, each moving a thread: at most one look each (and the one that may have been waiting), not one per
            // open inbox, and no stream read anything itself.
            var looks = commands.Count(c => IsInboxLook(c.Sql));
            Assert.True(looks is >= 1 and <= 3, $"{looks} looks:\n" + string.Join("\n---\n", commands.Select(c => c.Sql).Where(q => q.Contains("Notifications", StringComparison.Ordinal))));
            Assert.DoesNotContain(commands, c => c.Sql.Contains("FROM \"Notifications\"", StringComparison.Ordinal) && !IsInboxLook(c.Sql)
                && !c.Sql.Contains("INSERT", StringComparison.Ordinal) && !c.Sql.Contains("\"MailedAt\"", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var (response, reader) in streams)
            {
                reader.Dispose();
                response.Dispose();
            }
        }
    }
}
