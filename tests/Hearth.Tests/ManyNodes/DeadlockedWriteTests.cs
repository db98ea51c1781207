using System.Data.Common;
using System.Net;
using Hearth.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.ManyNodes;

/// <summary>
/// Two nodes' writes can wait on each other across rows and locks (a batch holding a person's row and wanting a new
/// page's lock, a post on the other node holding that lock and wanting the row): PostgreSQL then ends one of them. The
/// one ended took nothing with it, and runs again rather than answering 503 to a person whose post was fine.
/// </summary>
public sealed class DeadlockedWriteTests(DeadlockedWriteTests.AppThatDeadlocks app) : IClassFixture<DeadlockedWriteTests.AppThatDeadlocks>
{
    /// <summary>Ends the next few statements that store a post's log entry as PostgreSQL ends a deadlock's victim.</summary>
    public sealed class EndAsDeadlocked : DbCommandInterceptor
    {
        int _left;

        public int Ended { get; private set; }

        public void Arm(int times) => Volatile.Write(ref _left, times);

        void Check(DbCommand command)
        {
            if (command.CommandText.Contains("INSERT INTO \"ThreadEvents\"", StringComparison.Ordinal) && Interlocked.Decrement(ref _left) >= 0)
            {
                Ended++;
                throw new Npgsql.PostgresException("deadlock detected", "ERROR", "ERROR", Npgsql.PostgresErrorCodes.DeadlockDetected);
            }
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Check(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Check(command);
            return ValueTask.FromResult(result);
        }
    }

    public sealed class AppThatDeadlocks : HearthApp
    {
        public EndAsDeadlocked Ends { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.ConfigureDbContext<PostgresHearthDb>(db => db.AddInterceptors(Ends)));
        }
    }

    [PostgresFact("deadlocks between nodes' row locks are PostgreSQL's; SQLite's first write takes the whole database")]
    public async Task APostEndedTwiceToBreakADeadlockIsStoredOnceAndAnsweredCreated()
    {
        var site = await app.CreateSiteAsync();
        var client = app.CreateClient();
        var url = ApiCalls.NewPageUrl();
        await client.CommentAsync(site, url, "The first word on this page.");

        app.Ends.Arm(2);
        var response = await client.PostCommentAsync(site, new { url, body = "Said while another node was writing.", author = new { name = "Guest" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(2, app.Ends.Ended);
        var stored = await app.InDatabaseAsync(db => db.Comments.CountAsync(c => c.Source == "Said while another node was writing."));
        Assert.Equal(1, stored);
    }
}
