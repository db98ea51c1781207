using System.Net;
using System.Text.Json;
using Hearth.Live;
using Hearth.Notifications;
using Hearth.Tests.Identity;
using Hearth.Tests.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hearth.Tests.ManyNodes;

/// <summary>A person's live inbox on one node hears of what was written for them on the other.</summary>
[Collection(TwoNodes.Collection)]
public sealed class CrossNodeInboxTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    readonly HttpClient _a = nodes.A.CreateClient();
    readonly HttpClient _b = nodes.B.CreateClient();

    static long NotificationOf(SseEvent e)
    {
        Assert.Equal("notification", e.Type);
        return JsonDocument.Parse(e.Data).RootElement.GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task AReplyWrittenOnOneNodeReachesTheInboxOpenOnTheOtherAndSoDoesOneNoMessageAnnounced()
    {
        var site = await nodes.A.CreateSiteAsync();
        var secret = await nodes.A.EnableSsoAsync(site);
        var ada = await _b.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(nodes.A, site, sub: "ada-two-nodes", name: "Ada Twonodes")));
        var page = ApiCalls.NewPageUrl();
        using var asked = await _b.PostAsMemberAsync(site, ada, new { url = page, body = "Which platform does the night train leave from?" });
        Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        var question = JsonDocument.Parse(await asked.Content.ReadAsStringAsync()).RootElement.Id();

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/inbox/live");
        request.Headers.Authorization = new("Bearer", ada);
        using var response = await _b.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var stream = new SseReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("ready", (await stream.NextAsync(TimeSpan.FromSeconds(30))).Type);

        var reply = (await _a.CommentAsync(site, page, "Platform 4, usually.", question, "Rail Ria")).Id();
        var notified = await nodes.A.InDatabaseAsync(db => db.Notifications.Where(n => n.CommentId == reply).Select(n => n.Id).SingleAsync());
        Assert.Equal(notified, NotificationOf(await stream.NextChangeAsync(TimeSpan.FromSeconds(30))));

        // Written with no change announced (as the hand-out of followed conversations writes): B's periodic look finds it.
        var unannounced = await nodes.A.InDatabaseAsync(async db =>
        {
            var thread = await db.Threads.SingleAsync(t => t.Url == page);
            var userId = await db.Comments.Where(c => c.Id == question).Select(c => c.Author.UserId!.Value).SingleAsync();
            var row = new Notification
            {
                UserId = userId, SiteId = thread.SiteId, ThreadId = thread.Id, CommentId = reply, Kind = Notification.Followed,
                CreatedAt = DateTime.UtcNow,
            };
            db.Notifications.Add(row);
            await db.SaveChangesAsync();
            return row.Id;
        });
        var next = stream.NextChangeAsync(TimeSpan.FromSeconds(30));
        var every = nodes.B.Services.GetRequiredService<IOptions<LiveOptions>>().Value.CheckEvery;
        while (!next.IsCompleted)
        {
            nodes.B.Clock.Advance(every);
            await Task.WhenAny(next, Task.Delay(25));
        }
        Assert.Equal(unannounced, NotificationOf(await next));
    }
}
