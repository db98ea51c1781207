using Hearth.Storage;
using Hearth.Tests.Accounts;
using Hearth.Tests.Nodes;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Notifications;

/// <summary>
/// A notification stays in the inbox for Hearth:NotificationsKeptFor (180 days), read or not, then goes in the hourly
/// round; the comment it pointed at stays. A class of its own: it moves its server's clock half a year.
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
        await Node.UntilAsync(async () => !await HasNotificationAsync(old), "the old notification forgotten",
            () => App.Clock.Advance(Leases.Renewal));
        Assert.True(await HasNotificationAsync(recent));
        Assert.True(await App.InDatabaseAsync(db => db.Comments.AnyAsync(c => c.Id == old)));
    }

    Task<bool> HasNotificationAsync(long commentId) =>
        App.InDatabaseAsync(db => db.Notifications.AnyAsync(n => n.CommentId == commentId));
}
