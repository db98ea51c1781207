using Hearth.Identity;
using Hearth.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Storage;

/// <summary>
/// A database from before the address's unique index may hold one address on several accounts (sign-ups that met on two
/// nodes). Upgrading must not fail on them: the oldest confirmed account keeps the address, the others get a marked one.
/// </summary>
public sealed class UniqueEmailMigrationTests : IAsyncDisposable
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), "hearth-tests", Guid.NewGuid().ToString("N"));
    readonly string? _postgres = TestDatabase.IsPostgres ? TestDatabase.Unmade() : null;

    HearthDb Open()
    {
        var services = new ServiceCollection().Configure<IdentityOptions>(IdentitySetup.ConfigureStores).BuildServiceProvider();
        if (_postgres is not null)
        {
            return new PostgresHearthDb(new DbContextOptionsBuilder<PostgresHearthDb>()
                .UseNpgsql(DatabaseAddress.ParsePostgres(_postgres).ConnectionString + ";Pooling=false")
                .UseApplicationServiceProvider(services).Options);
        }
        Directory.CreateDirectory(_folder);
        return new SqliteHearthDb(new DbContextOptionsBuilder<SqliteHearthDb>().UseSqlite($"Data Source={Path.Combine(_folder, "hearth.db")};Pooling=False")
            .UseApplicationServiceProvider(services).Options);
    }

    string BeforeTheIndex => _postgres is null ? "20261203210516_People" : "20261203215702_People";

    [Fact]
    public async Task AnAddressHeldTwiceStaysWithTheOldestConfirmedAccountAndTheOthersAreMovedAside()
    {
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        HearthUser Account(string name, string email, bool confirmed, int day) => new()
        {
            UserName = name,
            NormalizedUserName = name.ToUpperInvariant(),
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            EmailConfirmed = confirmed,
            DisplayName = name,
            CreatedAt = start.AddDays(day),
            SecurityStamp = Guid.NewGuid().ToString("N"),
        };
        await using (var db = Open())
        {
            await db.GetService<IMigrator>().MigrateAsync(BeforeTheIndex);
            // The oldest of the three never confirmed; the confirmed one keeps the address even though it came later.
            // Written as the database was then: the model of today has columns later migrations add.
            foreach (var a in new[]
            {
                Account("first-unconfirmed", "twice@mail.example", confirmed: false, day: 0),
                Account("confirmed", "Twice@Mail.example", confirmed: true, day: 1),
                Account("last-unconfirmed", "twice@mail.example", confirmed: false, day: 2),
                Account("alone", "alone@mail.example", confirmed: true, day: 0),
                Account("none-a", "x", confirmed: false, day: 0),
                Account("none-b", "y", confirmed: false, day: 0),
            })
            {
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "Users" ("UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed", "DisplayName", "CreatedAt",
                        "SecurityStamp", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount", "IsAdmin")
                    VALUES ({a.UserName}, {a.NormalizedUserName}, {a.Email}, {a.NormalizedEmail}, {a.EmailConfirmed}, {a.DisplayName}, {a.CreatedAt},
                        {a.SecurityStamp}, FALSE, FALSE, FALSE, 0, FALSE)
                    """);
            }
            // Accounts without an address are many, and the index lets them be.
            await db.Users.Where(u => u.UserName!.StartsWith("none-")).ExecuteUpdateAsync(u => u.SetProperty(x => x.Email, (string?)null).SetProperty(x => x.NormalizedEmail, (string?)null));
        }

        await using (var db = Open())
        {
            await db.Database.MigrateAsync();
            var users = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.UserName!);
            Assert.Equal("Twice@Mail.example", users["confirmed"].Email);
            Assert.Equal("TWICE@MAIL.EXAMPLE", users["confirmed"].NormalizedEmail);
            Assert.Equal($"twice@mail.example.duplicate-{users["first-unconfirmed"].Id}.invalid", users["first-unconfirmed"].Email);
            Assert.Equal($"TWICE@MAIL.EXAMPLE.DUPLICATE-{users["first-unconfirmed"].Id}.INVALID", users["first-unconfirmed"].NormalizedEmail);
            Assert.Equal($"twice@mail.example.duplicate-{users["last-unconfirmed"].Id}.invalid", users["last-unconfirmed"].Email);
            Assert.Equal("alone@mail.example", users["alone"].Email);
            Assert.Null(users["none-a"].NormalizedEmail);
            Assert.Null(users["none-b"].NormalizedEmail);

            // From now on the database itself keeps an address to one account.
            db.Users.Add(Account("another", "TWICE@mail.example", confirmed: false, day: 3));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (_postgres is not null)
        {
            TestDatabase.Drop(_postgres);
        }
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
        return ValueTask.CompletedTask;
    }
}
