using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hearth.Storage;

/// <summary>
/// On SQLite, the connection <see cref="GroupCommit"/>'s batches run on: one, kept open from batch to batch, with a
/// page cache of its own. A connection from the pool forgets every page it held as soon as another connection has
/// written since it was last used, and the batches came each on whichever the pool handed out: a batch began by reading
/// again, one system call a page, the index pages the batch before had just written (53 reads of a page per post
/// under realistic posting, 27 with this). Kept open, the batches' connection sees its own writes without forgetting
/// anything, and keeps its compiled statements (<see cref="SqliteStatementCache"/>) from one batch to the next.
/// Nothing depends on it but speed: every batch is still one transaction of its own, and a connection that was in a
/// batch that failed is closed and a new one opened for the next.
/// </summary>
/// <remarks>
/// One batch at a time uses it (<see cref="GroupCommit"/> runs them one after another under the write gate). Between
/// batches it holds no transaction, so readers, checkpoints and an account deletion's emptying of the log go on as
/// before.
/// </remarks>
public sealed class BatchConnection(IServiceProvider services, IOptions<HearthOptions> options, WriteGate gate) : IDisposable, IAsyncDisposable
{
    /// <summary>Kibibytes of page cache: the index pages a busy day's posts land on (the pool's connections keep 2 MB).</summary>
    internal const int CacheKib = 32 * 1024;

    /// <summary>How long stopping waits for a batch under way before closing the connection all the same.</summary>
    static readonly TimeSpan StopWait = TimeSpan.FromSeconds(30);

    readonly Lock _lock = new();
    SqliteConnection? _connection;
    DbContextOptions<SqliteHearthDb>? _options;
    bool _disposed;

    /// <summary>
    /// A context for one batch on the kept connection, with the pool's settings and interceptors; null on PostgreSQL,
    /// where the batch takes a pooled context as any request does, and once the server is stopping (a write still
    /// arriving then does not open a connection nobody would close). The caller disposes it (the connection stays open).
    /// </summary>
    /// <remarks>
    /// The connection is not from the pool: closed, it is closed, and its large cache never goes to a request. EF has
    /// not set it up as it sets up connections it makes (its regexp and decimal functions are missing): the statements
    /// of a batch use neither.
    /// </remarks>
    public HearthDb? ContextForBatch()
    {
        if (DatabaseAddress.IsPostgres(options.Value))
        {
            return null;
        }
        lock (_lock)
        {
            if (_disposed)
            {
                return null;
            }
            _options ??= services.GetRequiredService<DbContextOptions<SqliteHearthDb>>();
            _connection ??= Open();
            var db = new SqliteHearthDb(_options);
            db.Database.SetDbConnection(_connection, contextOwnsConnection: false);
            return db;
        }
    }

    SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(StorageSetup.ConnectionString(options.Value)) { Pooling = false }.ToString());
        try
        {
            connection.Open();
            using var settings = connection.CreateCommand();
            settings.CommandText = SqlitePragmas.Sql + " PRAGMA cache_size=-" + CacheKib.ToString(System.Globalization.CultureInfo.InvariantCulture) + ";";
            settings.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>After a batch that failed: whatever state the failure left the connection in, the next batch gets a new one.</summary>
    public void Drop()
    {
        lock (_lock)
        {
            _connection?.Dispose();
            _connection = null;
        }
    }

    /// <summary>When the server stops: a batch under way (it holds the write gate) ends before the connection closes.</summary>
    public async ValueTask DisposeAsync()
    {
        using var wait = new CancellationTokenSource(StopWait);
        WriteGate.Turn? turn = null;
        try
        {
            turn = await gate.EnterAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            // A batch that has not ended in this long is closed under: its transaction is rolled back, nothing half-written.
        }
        try
        {
            lock (_lock)
            {
                _disposed = true;
            }
            Drop();
        }
        finally
        {
            turn?.Dispose();
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}

/// <summary>The context a batch's scope hands out as its <see cref="HearthDb"/>, when the batch brought its own.</summary>
public sealed class BatchScope
{
    public HearthDb? Db { get; set; }
}
