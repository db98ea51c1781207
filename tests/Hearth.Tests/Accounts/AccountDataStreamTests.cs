using System.Net;
using System.Text.Json;
using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Accounts;

/// <summary>
/// The download of everything Hearth holds about someone who wrote for years is written as it is read: sent in
/// pieces, with no length known before, and whole, every comment, vote and notification in order.
/// </summary>
public sealed class AccountDataStreamTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    [Fact]
    public async Task ThousandsOfCommentsVotesAndNotificationsAreStreamedWholeAndInOrder()
    {
        var site = await app.CreateSiteAsync();
        var (browser, email) = await app.SignedInAsync("Archivist Ada", "years of words kept");
        var userId = await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        const int count = 3000;
        var ids = await app.InDatabaseAsync(async db =>
        {
            var key = ThreadLog.MemberActor(app.Services.GetRequiredService<InstanceKey>(), userId);
            var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
            var now = app.Clock.GetUtcNow().UtcDateTime;
            var thread = new CommentThread { SiteId = siteId, Key = "u:https://blog.example/archive", Url = "https://blog.example/archive", CreatedAt = now };
            db.Threads.Add(thread);
            await db.SaveChangesAsync();
            var renderer = app.Services.GetRequiredService<MarkdownRenderer>();
            var author = new CommentAuthor { Kind = AuthorKind.Member, UserId = userId, Name = "Archivist Ada", Key = key };
            var comments = Enumerable.Range(0, count).Select(i => Comment.Create(thread, null, author, renderer.Render($"Entry number {i} of the archive."),
                CommentStatus.Published, null, null, null, now.AddSeconds(i), 10)).ToList();
            db.Comments.AddRange(comments);
            await db.SaveChangesAsync();
            db.Votes.AddRange(comments.Select((c, i) => new Vote { CommentId = c.Id, VoterKey = "member:" + userId, Value = 1, CastAt = now.AddSeconds(i) }));
            db.Notifications.AddRange(comments.Select((c, i) => new Hearth.Notifications.Notification
            {
                UserId = userId, SiteId = siteId, ThreadId = thread.Id, CommentId = c.Id, Kind = Hearth.Notifications.Notification.Reply,
                CreatedAt = now.AddSeconds(i),
            }));
            await db.SaveChangesAsync();
            return comments.Select(c => c.Id).ToList();
        });

        using var download = await browser.Client.GetAsync("/account/data", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Null(download.Content.Headers.ContentLength);
        Assert.Equal("no-store", download.Headers.CacheControl?.ToString());
        Assert.Equal($"hearth-account-{userId}.json", download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName);
        using var json = await JsonDocument.ParseAsync(await download.Content.ReadAsStreamAsync());
        var root = json.RootElement;
        var exported = root.GetProperty("comments").EnumerateArray().ToList();
        Assert.Equal(ids, exported.Select(c => c.GetProperty("id").GetInt64()));
        Assert.Equal("Entry number 2999 of the archive.", exported[^1].GetProperty("source").GetString());
        Assert.Equal(site, exported[0].GetProperty("site").GetString());
        Assert.Equal("https://blog.example/archive", exported[0].GetProperty("threadUrl").GetString());
        Assert.Equal(ids, root.GetProperty("votes").EnumerateArray().Select(v => v.GetProperty("commentId").GetInt64()));
        Assert.Equal(ids, root.GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("commentId").GetInt64()));
        Assert.Equal(email, root.GetProperty("profile").GetProperty("email").GetString());
    }
}
