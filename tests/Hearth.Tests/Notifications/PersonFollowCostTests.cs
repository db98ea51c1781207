using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Identity;
using Hearth.Notifications;
using Hearth.Storage;
using Hearth.Tests.Identity;
using Hearth.Tests.Nodes;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Notifications;

/// <summary>
/// What a person's followers cost: nothing on their post (the same commands, and on SQLite the same work, with none or
/// thousands), and in the background a bounded slice per transaction.
/// </summary>
public class PersonFollowCostTests(MeasuredHearthApp app) : IClassFixture<MeasuredHearthApp>
{
    const int Followers = 2_500;

    readonly HttpClient _client = app.CreateClient();

    async Task<(long Id, string Key, IReadOnlyList<(string Sql, long Steps)> Costs)> PostAsync(string site, string token, string url, string body)
    {
        app.Meter.Start();
        using var response = await _client.PostAsMemberAsync(site, token, new { url, body });
        var costs = app.Meter.Stop();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (json.Id(), json.GetProperty("author").GetProperty("key").GetString()!, costs);
    }

    async Task HandedOutAsync()
    {
        var last = await app.InDatabaseAsync(db => db.ThreadEvents.MaxAsync(e => (long?)e.Id)) ?? 0;
        await Node.UntilAsync(async () => await app.InDatabaseAsync(async db =>
                (await db.InstanceSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Name == PersonFanoutWork.Cursor))?.Value is { } value
                && long.Parse(value) >= last && !await db.Set<PersonFanout>().AnyAsync(f => !f.Done)),
            "followed people's comments handed out", () => app.Clock.Advance(Leases.Renewal));
    }

    [Fact]
    public async Task APersonWithThousandsOfFollowersPostsAtTheCostOfAnyoneAndTheyAreToldInSlices()
    {
        await HandedOutAsync();
        var site = await app.CreateSiteAsync();
        var secret = await app.EnableSsoAsync(site);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var token = await _client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: "wren-" + tag, name: "Wren Writer")));
        var page = ApiCalls.NewPageUrl();
        var (_, key, _) = await PostAsync(site, token, page, "Opening the page: notes from the allotment this spring.");
        var alone = await PostAsync(site, token, page, "The broad beans are up, the peas are not.");

        await app.InDatabaseAsync(async db =>
        {
            var person = await db.People.Where(p => p.Key == key).Select(p => new { p.Id, p.SiteId }).SingleAsync();
            var users = Enumerable.Range(0, Followers).Select(i => new HearthUser
            {
                UserName = $"reader-{tag}-{i}", NormalizedUserName = $"READER-{tag}-{i}", DisplayName = $"Reader {i}", SecurityStamp = tag,
            }).ToList();
            db.Users.AddRange(users);
            await db.SaveChangesAsync();
            db.AddRange(users.Select(u => new PersonFollow
            {
                UserId = u.Id, PersonId = person.Id, SiteId = person.SiteId, State = PersonFollow.Following, SinceCommentId = alone.Id,
                CreatedAt = app.Clock.GetUtcNow().UtcDateTime,
            }));
            return await db.SaveChangesAsync();
        });
        var followed = await PostAsync(site, token, page, "Slugs got the lettuce again, every last leaf.");

        Assert.Equal(alone.Costs.Count, followed.Costs.Count);
        Assert.DoesNotContain(followed.Costs, c => c.Sql.Contains("PersonFollows", StringComparison.Ordinal) || c.Sql.Contains("PersonFanouts", StringComparison.Ordinal));
        if (!TestDatabase.IsPostgres)
        {
            var (before, after) = (alone.Costs.Sum(c => c.Steps), followed.Costs.Sum(c => c.Steps));
            Assert.True(after <= before * 1.1 + 100, $"The post took {before} SQLite steps with no followers and {after} with {Followers}.");
        }

        // In the background: every follower told once, in transactions of at most a slice of them each.
        app.Meter.Start();
        await HandedOutAsync();
        var background = app.Meter.Stop();
        Assert.Equal(Followers, await app.InDatabaseAsync(db => db.Notifications.CountAsync(n => n.CommentId == followed.Id && n.Kind == Notification.FollowedPerson)));
        var slices = background.Count(c => c.Sql.Contains("INSERT INTO \"Notifications\"", StringComparison.Ordinal) && c.Sql.Contains("FROM \"PersonFollows\"", StringComparison.Ordinal));
        Assert.True(slices >= (Followers + PersonFanoutWork.Slice - 1) / PersonFanoutWork.Slice, $"{Followers} followers were told in {slices} statements");
        Assert.Equal(0, await app.InDatabaseAsync(db => db.Notifications.CountAsync(n => n.CommentId == alone.Id)));
    }
}
