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
public sealed class BatchConnection(IServiceProvider services, IOptions<HearthOptions> options) : IDisposable
{
    /// <summary>Kibibytes of page cache: the index pages a busy day's posts land on (the pool's connections keep 2 MB).</summary>
    internal const int CacheKib = 32 * 1024;

    SqliteConnection? _connection;
    DbContextOptions<SqliteHearthDb>? _options;
    bool _disposed;

    /// <summary>
    /// A context for one batch on the kept connection, with the pool's settings and interceptors; null on PostgreSQL,
    /// where the batch takes a pooled context as any request does, and once the server is stopping (a write still
    /// arriving then does not open a connection nobody would close). The caller disposes it (the connection stays open).
    /// </summary>
    public HearthDb? ContextForBatch()
    {
        if (_disposed || DatabaseAddress.IsPostgres(options.Value))
        {
            return null;
        }
        _options ??= services.GetRequiredService<DbContextOptions<SqliteHearthDb>>();
        if (_connection is null)
        {
            var connection = new SqliteConnection(StorageSetup.ConnectionString(options.Value));
            try
            {
                connection.Open();
                using var settings = connection.CreateCommand();
                settings.CommandText = SqlitePragmas.Sql + " PRAGMA cache_size=-" + CacheKib.ToString(System.Globalization.CultureInfo.InvariantCulture) + ";";
                settings.ExecuteNonQuery();
            }
            catch
            {
                connection.Dispose();
                throw;
            }
            _connection = connection;
        }
        var db = new SqliteHearthDb(_options);
        db.Database.SetDbConnection(_connection, contextOwnsConnection: false);
        return db;
    }

    /// <summary>After a batch that failed: whatever state the failure left the connection in, the next batch gets a new one.</summary>
    public void Drop()
    {
        _connection?.Dispose();
        _connection = null;
    }

    public void Dispose()
    {
        _disposed = true;
        Drop();
    }
}

/// <summary>The context a batch's scope hands out as its <see cref="HearthDb"/>, when the batch brought its own.</summary>
public sealed class BatchScope
{
    public HearthDb? Db { get; set; }
}
