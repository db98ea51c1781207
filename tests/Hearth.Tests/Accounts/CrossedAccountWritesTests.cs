using Hearth.Accounts;
using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Moderation;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Accounts;

/// <summary>
/// An account deleted, or guest comments claimed, while a moderator decides on comments of the same threads (as on two
/// nodes: each with its own write gate). The deletion goes through its comments newest first and the claim in the order
/// they were written, so thread B before thread A, while the decision lists A's comment first: taken in those orders,
/// PostgreSQL's thread locks would cross and one would fail as a deadlock.
/// </summary>
public sealed class CrossedAccountWritesTests(HearthApp app) : IClassFixture<HearthApp>
{
    const int Rounds = 25;

    [Fact]
    public async Task AnAccountDeletedDuringADecisionOnTheSameThreadsBothComplete()
    {
        var site = await app.CreateSiteAsync();
        var client = app.CreateClient();
        var (urlA, urlB) = (ApiCalls.NewPageUrl(), ApiCalls.NewPageUrl());
        var stored = await app.InDatabaseAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Name == site));
        var moderator = new Member(0, 0, stored.Id, "Mo", null, null, []);

        for (var i = 0; i < Rounds; i++)
        {
            var mineInA = (await client.CommentAsync(site, urlA, $"mine in A {i}")).Id();
            var othersInA = (await client.CommentAsync(site, urlA, $"someone's in A {i}")).Id();
            var mineInB = (await client.CommentAsync(site, urlB, $"mine in B {i}")).Id();
            var othersInB = (await client.CommentAsync(site, urlB, $"someone's in B {i}")).Id();
            var userId = await MemberWritingAsync($"leaver{i}", mineInA, mineInB);

            using var start = new Barrier(2);
            var deletion = Task.Run(async () =>
            {
                await using var scope = app.Services.CreateAsyncScope();
                var delete = ActivatorUtilities.CreateInstance<AccountDeletion>(scope.ServiceProvider, new WriteGate());
                await scope.ServiceProvider.GetRequiredService<HearthDb>().Database.OpenConnectionAsync();
                start.SignalAndWait(TimeSpan.FromSeconds(30));
                await delete.RunAsync(userId, keepComments: true, CancellationToken.None);
            });
            var decision = Task.Run(async () =>
            {
                await using var scope = app.Services.CreateAsyncScope();
                var decide = ActivatorUtilities.CreateInstance<DecideComments>(scope.ServiceProvider, new WriteGate());
                await scope.ServiceProvider.GetRequiredService<HearthDb>().Database.OpenConnectionAsync();
                start.SignalAndWait(TimeSpan.FromSeconds(30));
                return await decide.RunAsync(stored, moderator, [othersInA, othersInB], "reject", CancellationToken.None);
            });
            await deletion;
            Assert.Equal(2, (await decision).Changed);
            Assert.Equal([AccountDeletion.FormerMember, AccountDeletion.FormerMember], await app.InDatabaseAsync(db =>
                db.Comments.Where(c => c.Id == mineInA || c.Id == mineInB).Select(c => c.Author.Name).ToListAsync()));
        }
    }

    [Fact]
    public async Task GuestCommentsClaimedDuringADecisionOnTheSameThreadsBothComplete()
    {
        var site = await app.CreateSiteAsync();
        var client = app.CreateClient();
        var (urlA, urlB) = (ApiCalls.NewPageUrl(), ApiCalls.NewPageUrl());
        await client.CommentAsync(site, urlA, "thread A comes first");
        var stored = await app.InDatabaseAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Name == site));
        var moderator = new Member(0, 0, stored.Id, "Mo", null, null, []);

        for (var i = 0; i < Rounds; i++)
        {
            // The guest wrote in B before A: claimed in the order written, B's thread would be locked before A's.
            var email = $"guest{i}@example.com";
            var mine = new[] { await GuestAsync(client, site, urlB, email, i), await GuestAsync(client, site, urlA, email, i) };
            var othersInA = (await client.CommentAsync(site, urlA, $"someone's in A {i}")).Id();
            var othersInB = (await client.CommentAsync(site, urlB, $"someone's in B {i}")).Id();
            var userId = await MemberWritingAsync($"claimer{i}");

            using var start = new Barrier(2);
            var claim = Task.Run(async () =>
            {
                await using var scope = app.Services.CreateAsyncScope();
                var claims = ActivatorUtilities.CreateInstance<GuestClaims>(scope.ServiceProvider, new WriteGate());
                var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
                var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId);
                await db.Database.OpenConnectionAsync();
                start.SignalAndWait(TimeSpan.FromSeconds(30));
                return await claims.ClaimAsync(user, email, CancellationToken.None);
            });
            var decision = Task.Run(async () =>
            {
                await using var scope = app.Services.CreateAsyncScope();
                var decide = ActivatorUtilities.CreateInstance<DecideComments>(scope.ServiceProvider, new WriteGate());
                await scope.ServiceProvider.GetRequiredService<HearthDb>().Database.OpenConnectionAsync();
                start.SignalAndWait(TimeSpan.FromSeconds(30));
                return await decide.RunAsync(stored, moderator, [othersInA, othersInB], "reject", CancellationToken.None);
            });
            Assert.Equal(2, await claim);
            Assert.Equal(2, (await decision).Changed);
            Assert.Equal([userId, userId], await app.InDatabaseAsync(db =>
                db.Comments.Where(c => mine.Contains(c.Id)).Select(c => c.Author.UserId).ToListAsync()));
        }
    }

    static async Task<long> GuestAsync(HttpClient client, string site, string url, string email, int round)
    {
        using var response = await client.PostCommentAsync(site, new { url, body = $"as a guest {round} in {url}", author = new { name = "Guest", email } });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Id();
    }

    /// <summary>A new account that wrote these comments.</summary>
    async Task<long> MemberWritingAsync(string name, params long[] commentIds)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<HearthUser>>();
        var user = new HearthUser { UserName = name, Email = $"{name}@example.com", DisplayName = name };
        Assert.True((await users.CreateAsync(user)).Succeeded);
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var key = ThreadLog.MemberActor(scope.ServiceProvider.GetRequiredService<InstanceKey>(), user.Id);
        foreach (var comment in await db.Comments.Where(c => commentIds.Contains(c.Id)).ToListAsync())
        {
            comment.ClaimFor(user.Id, name, null, null, key);
        }
        await db.SaveChangesAsync();
        return user.Id;
    }
}
