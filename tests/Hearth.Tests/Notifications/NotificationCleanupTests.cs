using Hearth.Storage;
using Hearth.Tests.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Notifications;

/// <summary>
/// A notification stays in the inbox for Hearth:NotificationsKeptFor (180 days), read or not, then goes in the hourly
/// round; the comment it pointed at stays, and no notification is made again for it. A class of its own: it moves its server's clock half a year.
/// </summary>
public class NotificationCleanupTests(AccountsApp app) : InboxTestBase(app), IClassFixture<AccountsApp>
{
    [Fact]
    public async Task NotificationsLeaveTheInboxAfterHalfAYearAndTheirCommentsStay()
    {
        var site = await App.CreateSiteAsync();
        var (_, ada) = await MemberAsync("Ada Ages", site);
        var page = ApiCalls.NewPageUrl();
        var question = await PostAsMemberAsync(site, ada[site], page, "Is the ferry running in winter?");
        var old = (await _client.CommentAsync(site, page, "Twice a day from November.", question, "Bo Early")).Id();
        Assert.True(await HasNotificationAsync(old));

        App.Clock.Advance(TimeSpan.FromDays(100));
        var recent = (await _client.CommentAsync(site, page, "And the timetable is on the pier.", question, "Cy Later")).Id();
        Assert.True(await HasNotificationAsync(recent));

        // Half a year and a little after the first reply: its notification goes, the second's stays (not yet 180 days).
        App.Clock.Advance(TimeSpan.FromDays(81));
        // Each step lets the background work take its turn; on a loaded machine (or PostgreSQL) a round takes a while,
        // so the bound is generous and the steps are counted, not timed.
        for (var step = 0; await HasNotificationAsync(old); step++)
        {
            Assert.True(step < 1_200, "The old notification was never forgotten.");
            App.Clock.Advance(Leases.Renewal);
            await Task.Delay(50);
        }
        Assert.True(await HasNotificationAsync(recent));
        Assert.True(await App.InDatabaseAsync(db => db.Comments.AnyAsync(c => c.Id == old)));

        // A new comment in the conversation Ada follows reaches her once the background round has run, and that round
        // looks again at the entries before it: the old reply must not come back as a new notification.
        var latest = (await _client.CommentAsync(site, page, "Winter fares are cheaper too.", name: "Dee Newer")).Id();
        for (var step = 0; !await HasNotificationAsync(latest); step++)
        {
            Assert.True(step < 1_200, "The new comment never reached the follower.");
            App.Clock.Advance(Leases.Renewal);
            await Task.Delay(50);
        }
        Assert.False(await HasNotificationAsync(old));
    }

    Task<bool> HasNotificationAsync(long commentId) =>
        App.InDatabaseAsync(db => db.Notifications.AnyAsync(n => n.CommentId == commentId));
}
