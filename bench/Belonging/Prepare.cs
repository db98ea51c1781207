using Hearth;
using Hearth.Accounts;
using Hearth.Identity;
using Hearth.Notifications;
using Hearth.Sites;
using Hearth.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Before the server starts: the sites and the accounts, written as the product writes them (sites as `hearth sites
/// add` does, accounts through Identity's UserManager as sign-up does, with their addresses confirmed, widget
/// sessions as the widget's sign-in starts them, and the mail followers' e-mail choice as the inbox page saves it). Signing up hundreds of people through the mail link would measure
/// nothing this benchmark is about. Everything people do after that goes through the running server.
/// </summary>
static class Prepare
{
    public static async Task RunAsync(string data, string statePath, int siteCount, int followers)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hearth:DataDirectory"] = data,
            ["Hearth:SeedDemo"] = "false",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddHearthOptions();
        services.AddHearthStorage();
        services.AddHearthIdentity();
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<StoragePreparation>().RunAsync(seedDemo: false, CancellationToken.None);

        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HearthUser>>();
        var now = DateTime.UtcNow;
        var sites = new List<Site>();
        for (var i = 0; i < siteCount; i++)
        {
            var name = $"belong-{i:00}";
            sites.Add(new Site { Name = name, Origins = [State.Origin(name)], CreatedAt = now });
        }
        db.Sites.AddRange(sites);
        await db.SaveChangesAsync();

        const string password = "lanterns over the harbour";
        var reader = await AccountAsync(db, users, "Reader Pat", "pat@mail.example", password);
        var readerTokens = new Dictionary<string, string>();
        foreach (var site in sites)
        {
            readerTokens[site.Name] = Session(db, reader.Id, site.Id, now);
        }
        var first = sites[0].Id;
        Account Member(HearthUser user) => new(user.Id, user.Email!, user.DisplayName, Session(db, user.Id, first, now));
        var followed = Member(await AccountAsync(db, users, "Popular Writer", "writer@mail.example", null));
        var unfollowed = Member(await AccountAsync(db, users, "Quiet Writer", "quiet@mail.example", null));
        var threadFollowers = new List<Account>();
        var mailFollowers = new List<Account>();
        for (var i = 0; i < followers; i++)
        {
            threadFollowers.Add(Member(await AccountAsync(db, users, $"Follower {i}", $"follower-{i}@mail.example", null)));
            var subscriber = await AccountAsync(db, users, $"Subscriber {i}", $"subscriber-{i}@mail.example", null);
            // E-mail choices are made on the account's inbox page (a cookie per person, so a password sign-in each);
            // written here by the same code that form runs.
            await MailPreferences.SetAsync(db, subscriber.Id, Notification.Followed, MailPreference.Immediately, CancellationToken.None);
            mailFollowers.Add(Member(subscriber));
        }
        await db.SaveChangesAsync();
        new State([.. sites.Select(s => s.Name)], Member(reader) with { Token = readerTokens[sites[0].Name] }, password, readerTokens,
            followed, unfollowed, threadFollowers, mailFollowers).Save(statePath);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Console.Error.WriteLine($"[belonging] prepared {siteCount} sites and {3 + 2 * followers} accounts");
    }

    static async Task<HearthUser> AccountAsync(HearthDb db, UserManager<HearthUser> users, string name, string email, string? password)
    {
        var user = new HearthUser
        {
            UserName = "u" + Guid.NewGuid().ToString("N"),
            Email = email,
            EmailConfirmed = true,
            DisplayName = name,
            CreatedAt = DateTime.UtcNow,
        };
        var result = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Creating {email} failed: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
        return user;
    }

    /// <summary>As the widget's sign-in does (WidgetSignIn.GrantAsync): a session on one site and its token.</summary>
    static string Session(HearthDb db, long userId, long siteId, DateTime now)
    {
        var (session, token) = MemberSession.Start(userId, siteId, MemberSession.Widget, now, WidgetSignIn.Lifetime, "bench/belonging");
        db.MemberSessions.Add(session);
        return token;
    }
}
