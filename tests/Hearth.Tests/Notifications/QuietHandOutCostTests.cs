using Hearth.GuestReplies;
using Hearth.Notifications;
using Hearth.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Notifications;

/// <summary>
/// The background hand-outs of the thread log (followed conversations, followed people, guest reply e-mails) run at
/// every renewal of their lease, on every instance. Once they have caught up and nothing new is written, a round on
/// SQLite reads only where the log ends: not the entries behind its cursor again, which it did at every round before.
/// </summary>
public class QuietHandOutCostTests(MeasuredHearthApp app) : IClassFixture<MeasuredHearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    /// <summary>One round of each hand-out, as their leases run them; true when any says there may be more.</summary>
    async Task<bool> RoundsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var kept = TimeSpan.FromDays(180);
        var more = await FollowedThreadsNotifier.HandOutAsync(db, now, kept, CancellationToken.None);
        more |= await PersonFanoutWork.RoundAsync(db, now, kept, CancellationToken.None);
        more |= await scope.ServiceProvider.GetRequiredService<GuestReplyRound>().RunAsync(CancellationToken.None);
        return more;
    }

    [SqliteFact("PostgreSQL reads the entries behind the cursor again at every round, for those that commit late")]
    public async Task AQuietInstanceReadsOnlyWhereTheLogEnds()
    {
        var site = await app.CreateSiteAsync();
        // Every hand-out starts its cursor where the log is when it first runs.
        await RoundsAsync();
        var page = ApiCalls.NewPageUrl();
        for (var i = 0; i < 60; i++)
        {
            await _client.CommentAsync(site, page, $"Comment {i}: the tide came in at {i % 12} o'clock and the boats {i} rose with it.", name: $"Sailor {i % 7}");
        }
        while (await RoundsAsync())
        {
        }

        app.Meter.Start();
        await RoundsAsync();
        var commands = app.Meter.Stop();

        var log = commands.Where(c => c.Sql.Contains("\"ThreadEvents\"", StringComparison.Ordinal)).ToList();
        // One look at the end of the log per hand-out, and nothing else of it.
        Assert.Equal(3, log.Count);
        Assert.All(log, c => Assert.Contains("SELECT MAX(", c.Sql, StringComparison.Ordinal));
        Assert.DoesNotContain(commands, c => c.Sql.Contains("INSERT INTO \"Notifications\"", StringComparison.Ordinal)
            || c.Sql.Contains("INSERT INTO \"PersonFanouts\"", StringComparison.Ordinal));
    }
}
