using System.Net;
using Hearth.Identity;
using Hearth.Storage;
using Hearth.Tests.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Storage;

/// <summary>
/// People a site's sign-in made were once told apart by a user name, "sso-{site}-...". Upgrading gives each the site in
/// a column, and from then on nothing reads the name: they keep having no public profile, the site's next sign-in still
/// finds them and takes their new name, and accounts keep their profiles.
/// </summary>
public sealed class SsoSiteColumnMigrationTests : IAsyncDisposable
{
    readonly Accounts.AccountsApp _app = new();

    string BeforeTheColumn => TestDatabase.IsPostgres ? "20261205070951_ThreadLastComment" : "20261205070920_ThreadLastComment";

    [Fact]
    public async Task PeopleASiteSignedInKeepTheirSiteAfterTheUpgradeAndAccountsKeepTheirProfiles()
    {
        var client = _app.CreateClient();
        var site = await _app.CreateSiteAsync();
        var secret = await _app.EnableSsoAsync(site);
        await client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(_app, site, sub: "old-customer", name: "Old Name")));
        var (siteId, ssoId) = await _app.InDatabaseAsync(async db =>
        {
            var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
            var userId = await db.UserLogins.Where(l => l.ProviderKey == "old-customer").Select(l => l.UserId).SingleAsync();
            return (siteId, userId);
        });
        var (_, email) = await _app.SignedInAsync("Ada Account", "lanterns over the harbour");
        var accountId = await _app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

        long leftoverId = 0;
        await _app.InDatabaseAsync(async db =>
        {
            await db.GetService<IMigrator>().MigrateAsync(BeforeTheColumn);
            // Going back names the site's people as the older version reads them.
            var back = await db.Database.SqlQuery<string>($"""SELECT "UserName" AS "Value" FROM "Users" WHERE "Id" = {ssoId}""").SingleAsync();
            Assert.StartsWith($"sso-{siteId}-s", back);
            // As the database was then: the site's person named by the old rule, and one whose site has since gone.
            var old = $"sso-{siteId}-0123456789abcdef";
            await db.Database.ExecuteSqlAsync($"""UPDATE "Users" SET "UserName" = {old}, "NormalizedUserName" = {old.ToUpperInvariant()} WHERE "Id" = {ssoId}""");
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "Users" ("UserName", "NormalizedUserName", "DisplayName", "CreatedAt", "SecurityStamp",
                    "EmailConfirmed", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount", "IsAdmin", "FollowOnComment")
                VALUES ('sso-987654321-feed', 'SSO-987654321-FEED', 'Left Over', {DateTime.UtcNow}, 'stamp', FALSE, FALSE, FALSE, FALSE, 0, FALSE, TRUE)
                """);
            leftoverId = await db.Users.Where(u => u.UserName == "sso-987654321-feed").Select(u => u.Id).SingleAsync();
            await db.Database.MigrateAsync();
            return 0;
        });

        var kinds = await _app.InDatabaseAsync(db => db.Users.AsNoTracking()
            .Where(u => u.Id == ssoId || u.Id == accountId || u.Id == leftoverId).ToDictionaryAsync(u => u.Id, u => u.SsoSiteId));
        Assert.Equal(siteId, kinds[ssoId]);
        Assert.Null(kinds[accountId]);
        Assert.Equal(0, kinds[leftoverId]);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/people/{ssoId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/people/{leftoverId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/people/{accountId}")).StatusCode);

        // An older node, still running while the instance is upgraded node by node, makes one the old way: the next
        // start of any node gives it its site.
        var late = $"sso-{siteId}-fedcba9876543210";
        var lateId = await _app.InDatabaseAsync(async db =>
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "Users" ("UserName", "NormalizedUserName", "DisplayName", "CreatedAt", "SecurityStamp",
                    "EmailConfirmed", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount", "IsAdmin", "FollowOnComment")
                VALUES ({late}, {late.ToUpperInvariant()}, 'Made Late', {DateTime.UtcNow}, 'stamp', FALSE, FALSE, FALSE, FALSE, 0, FALSE, TRUE)
                """);
            return await db.Users.Where(u => u.UserName == late).Select(u => u.Id).SingleAsync();
        });
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/people/{lateId}")).StatusCode);
        await _app.Services.GetRequiredService<StoragePreparation>().RunAsync(seedDemo: false, CancellationToken.None);
        Assert.Equal(siteId, await _app.InDatabaseAsync(db => db.Users.Where(u => u.Id == lateId).Select(u => u.SsoSiteId).SingleAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/people/{lateId}")).StatusCode);

        // The site's next sign-in finds the same person and gives them the name it now sends.
        await client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(_app, site, sub: "old-customer", name: "New Name")));
        var after = await _app.InDatabaseAsync(db => db.Users.AsNoTracking().Where(u => u.SsoSiteId == siteId && u.Id != lateId).Select(u => new { u.Id, u.DisplayName }).ToListAsync());
        Assert.Equal([(ssoId, "New Name")], after.Select(u => (u.Id, u.DisplayName)));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
