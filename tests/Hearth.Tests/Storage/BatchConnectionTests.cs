using System.Data.Common;
using System.Net;
using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Hearth.Tests.Storage;

/// <summary>
/// On SQLite, batches of posts run on one connection kept open between them, with a page cache of its own: it sees
/// what other connections wrote in between, holds nothing that keeps the log from being emptied, and a batch that
/// failed leaves its connection behind for a new one.
/// </summary>
public class BatchConnectionTests(BatchConnectionTests.App app) : IClassFixture<BatchConnectionTests.App>
{
    public sealed class App : HearthApp
    {
        public CommentInserts Inserts { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.InterceptHearthDb(Inserts));
        }
    }

    /// <summary>The connection each comment's insert ran on; fails the next one when asked to, as a lost race for a unique key fails.</summary>
    public sealed class CommentInserts : DbCommandInterceptor
    {
        readonly Lock _lock = new();
        readonly List<DbConnection> _connections = [];
        public bool FailNext { get; set; }

        public IReadOnlyList<DbConnection> Connections
        {
            get
            {
                lock (_lock)
                {
                    return [.. _connections];
                }
            }
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("INSERT INTO \"Comments\"", StringComparison.Ordinal))
            {
                lock (_lock)
                {
                    _connections.Add(command.Connection!);
                }
                if (FailNext)
                {
                    FailNext = false;
                    throw new DbUpdateException("A failure made by the test, as a unique key another node has just taken.");
                }
            }
            return ValueTask.FromResult(result);
        }
    }

    readonly HttpClient _client = app.CreateClient();

    [SqliteFact("the kept connection is SQLite's")]
    public async Task BatchesShareOneOpenConnectionThatSeesOtherWritesInBetween()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var before = app.Inserts.Connections.Count;
        var first = await _client.CommentAsync(site, url, "Words that will be sent twice by the same reader.");
        // Another connection changes what the batch's connection read a moment ago: the comment is deleted.
        await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == first.Id())
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.Status, CommentStatus.Deleted)));
        // A twin of a deleted comment is a new comment: the kept connection read the change, not the page it had.
        var second = await _client.CommentAsync(site, url, "Words that will be sent twice by the same reader.");
        Assert.NotEqual(first.Id(), second.Id());
        // A reply with an Idempotency-Key reads and writes more (the parent, the earlier answer, a notification).
        var reply = await _client.PostCommentAsync(site, new { url, parentId = second.Id(), body = "An answer to the second.", author = new { name = "Other" } },
            idempotencyKey: "batch-connection-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.Created, reply.StatusCode);

        var used = app.Inserts.Connections.Skip(before).ToList();
        Assert.Equal(3, used.Count);
        Assert.Same(used[0], used[1]);
        Assert.Same(used[1], used[2]);
        var kept = (SqliteConnection)used[0];
        Assert.Equal(System.Data.ConnectionState.Open, kept.State);
        // Not from the pool: when it is left behind or the server stops, it closes, and its large cache never goes to
        // a request's connection.
        Assert.False(new SqliteConnectionStringBuilder(kept.ConnectionString).Pooling);
        Assert.Equal(-BatchConnection.CacheKib, await Scalar(kept, "PRAGMA cache_size"));
        // Between batches it holds no transaction, nor a statement left part-read: the log can be emptied.
        Assert.Equal(1, raw.sqlite3_get_autocommit(kept.Handle));
        await app.InDatabaseAsync(async db =>
        {
            await using var checkpoint = await Hearth.Storage.PlainSql.ReadAsync(db, "PRAGMA wal_checkpoint(TRUNCATE)", [], CancellationToken.None);
            await checkpoint.Rows.ReadAsync();
            Assert.Equal(0, checkpoint.Rows.GetInt32(0));
            return 0;
        });
    }

    [SqliteFact("the kept connection is SQLite's")]
    public async Task ABatchThatFailedLeavesItsConnectionForANewOne()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        await _client.CommentAsync(site, url, "A first comment, so the batches' connection is open.");
        var before = app.Inserts.Connections.Count;

        app.Inserts.FailNext = true;
        // The batch fails, and the post runs again alone (GroupCommit): it is stored all the same.
        var stored = await _client.CommentAsync(site, url, "A comment whose first attempt fails.");
        var thread = await _client.ThreadAsync(site, url);
        Assert.Contains(thread.GetProperty("comments").EnumerateArray(), c => c.Id() == stored.Id());

        var used = app.Inserts.Connections.Skip(before).ToList();
        Assert.Equal(2, used.Count);
        Assert.NotSame(used[0], used[1]);
        Assert.Equal(System.Data.ConnectionState.Closed, used[0].State);
        Assert.Equal(System.Data.ConnectionState.Open, used[1].State);
    }

    static async Task<long> Scalar(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
