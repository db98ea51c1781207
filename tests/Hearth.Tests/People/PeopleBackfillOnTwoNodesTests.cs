using System.Data.Common;
using Hearth.Identity;
using Hearth.People;
using Hearth.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hearth.Tests.People;

/// <summary>
/// Two nodes starting at once on an instance that has comments and no people yet: both find no one, and both would
/// build the people. The second must wait for the first and then find them built, doing none of the work again.
/// </summary>
public sealed class PeopleBackfillOnTwoNodesTests(HearthApp app) : IClassFixture<HearthApp>
{
    /// <summary>Holds the first backfill's last statement, inside its transaction, until the test lets it go.</summary>
    sealed class Hold : DbCommandInterceptor
    {
        public readonly TaskCompletionSource Reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource Release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("\"ReportsAgainst\" = ", StringComparison.Ordinal))
            {
                Reached.TrySetResult();
                await Release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
            return result;
        }
    }

    /// <summary>What the second backfill sends, and the moment it begins its transaction (having found no one).</summary>
    sealed class Watch : DbCommandInterceptor, IDbTransactionInterceptor
    {
        public readonly TaskCompletionSource Beginning = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly List<string> Sent = [];

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            lock (Sent)
            {
                Sent.Add(command.CommandText);
            }
            return ValueTask.FromResult(result);
        }

        public ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
            InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            Beginning.TrySetResult();
            return ValueTask.FromResult(result);
        }
    }

    HearthDb Open(IInterceptor[] interceptors)
    {
        var services = new ServiceCollection().Configure<IdentityOptions>(IdentitySetup.ConfigureStores).BuildServiceProvider();
        var connection = TestDatabase.Open(app.DataDirectory);
        if (connection is NpgsqlConnection)
        {
            return new PostgresHearthDb(new DbContextOptionsBuilder<PostgresHearthDb>().UseNpgsql(connection, o => o.CommandTimeout(30))
                .AddInterceptors(interceptors).UseApplicationServiceProvider(services).Options);
        }
        // The server's own connections wait for the write lock; these do the same.
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA busy_timeout=30000";
            pragma.ExecuteNonQuery();
        }
        return new SqliteHearthDb(new DbContextOptionsBuilder<SqliteHearthDb>().UseSqlite(connection)
            .AddInterceptors(interceptors).UseApplicationServiceProvider(services).Options);
    }

    [Fact]
    public async Task TheSecondNodeWaitsForTheFirstAndBuildsNoOneAgain()
    {
        var site = await app.CreateSiteAsync();
        var client = app.CreateClient();
        var url = ApiCalls.NewPageUrl();
        var first = (await client.CommentAsync(site, url, "Opening words", null, "Anna Early")).Id();
        await client.CommentAsync(site, url, "An answer", first, "Bo Answer");
        var kept = await app.InDatabaseAsync(db => db.People.CountAsync());
        await app.InDatabaseAsync(db => db.People.ExecuteDeleteAsync());

        var (hold, watch) = (new Hold(), new Watch());
        await using var one = Open([hold]);
        await using var other = Open([watch]);
        var firstRun = Task.Run(() => PeopleBackfill.RunAsync(one, CancellationToken.None));
        await hold.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // The second has looked and found no one (the first has not committed) when it begins its own work.
        var secondRun = Task.Run(() => PeopleBackfill.RunAsync(other, CancellationToken.None));
        await watch.Beginning.Task.WaitAsync(TimeSpan.FromSeconds(30));
        hold.Release.SetResult();

        Assert.Equal(kept, await firstRun);
        Assert.Equal(0, await secondRun);
        Assert.DoesNotContain(watch.Sent, sql => sql.Contains("INSERT INTO \"People\"", StringComparison.Ordinal)
            || sql.Contains("UPDATE \"People\"", StringComparison.Ordinal));
        Assert.Equal(kept, await app.InDatabaseAsync(db => db.People.CountAsync()));
    }
}
