using System.Net;
using System.Text.Json;
using Hearth.Storage;
using Hearth.Tests.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.ManyNodes;

/// <summary>Two nodes whose database commands can be made to meet before a write.</summary>
public sealed class TwoNodesThatMeet : TwoNodes
{
    public MeetingBeforeWrite Meeting { get; } = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.InterceptHearthDb(Meeting);
    }
}

/// <summary>
/// A person's first single sign-on creates their account; when the host site's page sends them to two nodes at once
/// (two tabs, a retry through the load balancer), both nodes find no one and both create. The database's key on the
/// site's user id lets one through; the other must sign in as the person that one stored.
/// </summary>
[Collection(TwoNodes.Collection)]
public sealed class FirstSignInOnTwoNodesTests(TwoNodesThatMeet nodes) : IClassFixture<TwoNodesThatMeet>
{
    [Fact]
    public async Task OnePersonSigningInForTheFirstTimeOnBothNodesAtOnceIsOneAccountAndBothAreSignedIn()
    {
        var site = await nodes.A.CreateSiteAsync();
        var secret = await nodes.A.EnableSsoAsync(site);
        var token = SsoTokens.Sign(secret, SsoTokens.Claims(nodes.A, site, sub: "first-time-twice", name: "Rosa Twice"));

        // On PostgreSQL both have looked for the person and found no one before either creates them. SQLite takes its
        // write lock when the transaction begins, so there the second node waits for the first and finds the person.
        if (TestDatabase.IsPostgres)
        {
            nodes.Meeting.Arm("INSERT INTO \"Users\"");
        }
        var answers = await Task.WhenAll(nodes.A.CreateClient().SignInAsync(site, token), nodes.B.CreateClient().SignInAsync(site, token));
        Assert.True(nodes.Meeting.Met || !TestDatabase.IsPostgres, "Both sign-ins should have reached the insert having found no one.");

        var ids = new List<long>();
        foreach (var answer in answers)
        {
            var text = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)answer.StatusCode}: {text}");
            var session = JsonDocument.Parse(text).RootElement;
            Assert.Equal("Rosa Twice", session.GetProperty("user").GetProperty("name").GetString());
            ids.Add(session.GetProperty("user").GetProperty("id").GetInt64());
        }
        Assert.Equal(ids[0], ids[1]);

        var (logins, accounts, members, sessions) = await nodes.A.InDatabaseAsync(async db =>
        {
            var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
            return (
                await db.UserLogins.CountAsync(l => l.ProviderKey == "first-time-twice"),
                await db.Users.CountAsync(u => u.SsoSiteId == siteId),
                await db.SiteMembers.CountAsync(m => m.SiteId == siteId),
                await db.MemberSessions.CountAsync(s => s.UserId == ids[0]));
        });
        Assert.Equal((1, 1, 1, 2), (logins, accounts, members, sessions));
    }
}
