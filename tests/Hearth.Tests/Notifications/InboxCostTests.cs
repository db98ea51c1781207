using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Conversations;
using Hearth.Notifications;
using Hearth.Tests.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Notifications;

/// <summary>Opening an inbox costs the same few commands and about the same reading whether it holds fifty notifications or a thousand.</summary>
public class InboxCostTests(MeasuredHearthApp app) : IClassFixture<MeasuredHearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    /// <summary>Replies to the person's comment, written straight into the database as a post stores them, each with its notification.</summary>
    async Task AddRepliesAsync(long answeredId, long userId, int count, CommentStatus status = CommentStatus.Published)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Hearth.Storage.HearthDb>();
        var renderer = scope.ServiceProvider.GetRequiredService<MarkdownRenderer>();
        var answered = await db.Comments.AsNoTracking().FirstAsync(c => c.Id == answeredId);
        var thread = await db.Threads.AsNoTracking().FirstAsync(t => t.Id == answered.ThreadId);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var replies = Enumerable.Range(0, count).Select(i => Comment.Create(thread, answered,
            new CommentAuthor { Kind = AuthorKind.Guest, Name = $"Replier {i}", Key = $"replier-{Guid.NewGuid():N}" },
            renderer.Render($"Answer number {i} to your question."), status, null, null, null, now, 10)).ToList();
        db.Comments.AddRange(replies);
        await db.SaveChangesAsync();
        db.Notifications.AddRange(replies.Select(r => new Notification
        {
            UserId = userId, SiteId = r.SiteId, ThreadId = r.ThreadId, CommentId = r.Id, Kind = Notification.Reply, CreatedAt = now,
        }));
        await db.SaveChangesAsync();
    }

    async Task<(int Commands, long Steps)> OpenInboxAsync(string site, string token)
    {
        app.Meter.Start();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/inbox?limit=20");
        request.Headers.Authorization = new("Bearer", token);
        using var response = await _client.SendAsync(request);
        var commands = app.Meter.Stop();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(20, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").GetArrayLength());
        return (commands.Count, commands.Sum(c => c.Steps));
    }

    [Fact]
    public async Task OpeningTheInboxReadsOnePageAndACappedCountWhateverItHolds()
    {
        var site = await app.CreateSiteAsync();
        var secret = await app.EnableSsoAsync(site);
        var token = await _client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: "inbox-cost", name: "Ida Inbox")));
        using var posted = await _client.PostAsMemberAsync(site, token, new { url = ApiCalls.NewPageUrl(), body = "Which of these trails suits a beginner?" });
        var mine = (await posted.Content.ReadFromJsonAsync<JsonElement>()).Id();
        var userId = await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == mine).Select(c => c.Author.UserId!.Value).SingleAsync());

        await AddRepliesAsync(mine, userId, 50);
        var small = await OpenInboxAsync(site, token);
        await AddRepliesAsync(mine, userId, 1_000);
        var large = await OpenInboxAsync(site, token);

        // The access token, the person's role and picture, the page, the unread count.
        Assert.True(large.Commands <= 5, $"{large.Commands} commands");
        Assert.Equal(small.Commands, large.Commands);
        // On SQLite the steps are counted: twenty times the notifications may not cost much more than a capped count reads.
        if (small.Steps > 0)
        {
            Assert.True(large.Steps < small.Steps * 3, $"{small.Steps} steps with 50 notifications, {large.Steps} with 1,050");
        }
    }

    async Task<long> UnreadCountStepsAsync(string site, string token)
    {
        app.Meter.Start();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/inbox/unread");
        request.Headers.Authorization = new("Bearer", token);
        using var response = await _client.SendAsync(request);
        var commands = app.Meter.Stop();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("unread").GetInt32());
        return commands.Sum(c => c.Steps);
    }

    /// <summary>Someone with <paramref name="takenDown"/> replies a moderator took down (still unread in the table), then five that count.</summary>
    async Task<long> UnreadCountStepsWithTakenDownAsync(int takenDown)
    {
        var site = await app.CreateSiteAsync();
        var secret = await app.EnableSsoAsync(site);
        var token = await _client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: $"unread-{takenDown}", name: "Una Unread")));
        using var posted = await _client.PostAsMemberAsync(site, token, new { url = ApiCalls.NewPageUrl(), body = "Is the ferry running on Sundays?" });
        var mine = (await posted.Content.ReadFromJsonAsync<JsonElement>()).Id();
        var userId = await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == mine).Select(c => c.Author.UserId!.Value).SingleAsync());
        await AddRepliesAsync(mine, userId, takenDown, CommentStatus.Rejected);
        await AddRepliesAsync(mine, userId, 5);
        return await UnreadCountStepsAsync(site, token);
    }

    [SqliteFact("the steps of a query are SQLite's count; PostgreSQL has none")]
    public async Task TheUnreadCountReadsABoundedNumberOfRowsHoweverManyRepliesWereTakenDown()
    {
        var some = await UnreadCountStepsWithTakenDownAsync(1_500);
        var twice = await UnreadCountStepsWithTakenDownAsync(3_000);
        Assert.True(twice < some * 1.2, $"{some} steps with 1,500 taken down, {twice} with 3,000");
    }

    /// <summary>Conversations the person follows without having written in them, as many as asked, each with a comment by someone else.</summary>
    async Task FollowConversationsAsync(long userId, string site, int count)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Hearth.Storage.HearthDb>();
        var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var threads = Enumerable.Range(0, count).Select(i => new CommentThread
        {
            SiteId = siteId, Key = $"u:followed-{Guid.NewGuid():N}", Url = ApiCalls.NewPageUrl(), CreatedAt = now, LastCommentAt = now, CommentCount = 1,
        }).ToList();
        db.Threads.AddRange(threads);
        await db.SaveChangesAsync();
        db.Follows.AddRange(threads.Select(t => new Follow { UserId = userId, ThreadId = t.Id, SiteId = siteId, CreatedAt = now }));
        await db.SaveChangesAsync();
    }

    async Task<(int Commands, long Steps)> OpenConversationsAsync(string site, string token)
    {
        app.Meter.Start();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/inbox/conversations?limit=20");
        request.Headers.Authorization = new("Bearer", token);
        using var response = await _client.SendAsync(request);
        var commands = app.Meter.Stop();
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.NotEmpty(JsonDocument.Parse(text).RootElement.GetProperty("items").EnumerateArray());
        return (commands.Count, commands.Sum(c => c.Steps));
    }

    [Fact]
    public async Task OpeningTheConversationsCostsTheSameFewCommandsAndABoundedReadingWhateverThePersonHolds()
    {
        var site = await app.CreateSiteAsync();
        var secret = await app.EnableSsoAsync(site);
        var token = await _client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: "conversations-cost", name: "Cora Conversing")));
        using var posted = await _client.PostAsMemberAsync(site, token, new { url = ApiCalls.NewPageUrl(), body = "Where does the coastal path start?" });
        var mine = (await posted.Content.ReadFromJsonAsync<JsonElement>()).Id();
        var userId = await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == mine).Select(c => c.Author.UserId!.Value).SingleAsync());

        await AddRepliesAsync(mine, userId, 50);
        await FollowConversationsAsync(userId, site, 30);
        var few = await OpenConversationsAsync(site, token);
        await AddRepliesAsync(mine, userId, 1_500);
        await FollowConversationsAsync(userId, site, 1_500);
        var many = await OpenConversationsAsync(site, token);
        await AddRepliesAsync(mine, userId, 1_500);
        await FollowConversationsAsync(userId, site, 1_500);
        var twice = await OpenConversationsAsync(site, token);

        // The access token, the person's role and picture; their follows, comments, replies and latest news; the page; the comments shown.
        Assert.True(twice.Commands <= 9, $"{twice.Commands} commands");
        Assert.Equal(few.Commands, twice.Commands);
        // On SQLite the steps are counted: past the look-back, twice the conversations and notifications read no more.
        if (many.Steps > 0)
        {
            Assert.True(twice.Steps < many.Steps * 1.2, $"{many.Steps} steps with 1,531 conversations and 1,550 notifications, {twice.Steps} with 3,031 and 3,050");
        }
    }
}
