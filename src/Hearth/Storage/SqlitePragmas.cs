using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Hearth.Storage;

/// <summary>
/// Per-connection SQLite settings. WAL with synchronous=NORMAL keeps every committed transaction across a crash
/// of the process (only a power cut can lose the last ones) at a fraction of the cost of a sync per commit.
/// secure_delete overwrites what is deleted (and the space rows leave behind when pages are rearranged) with zeros,
/// so a deleted account's words and names do not linger in the file's free space; it costs a little writing when
/// pages are freed. temp_store=MEMORY keeps statement journals (the pages a statement inside a larger transaction
/// may have to undo) in memory: on disk they were a temporary file written again for every batch of posts, more bytes
/// than the log itself, holding copies of pages with words that may since have been deleted. wal_autocheckpoint=4000
/// leaves copying the log into the file to <see cref="WalCheckpoints"/> while posts arrive (at SQLite's 1,000 pages,
/// the writer's own commit did it first); a log of 4,000 pages (16 MB) is copied by whichever write fills it.
/// </summary>
/// <remarks>
/// The settings belong to the database handle, which the connection pool hands to one opening after another. They
/// are set once per handle: every query opens a connection, and four statements compiled and run for each opening
/// cost more than a small query itself.
/// </remarks>
sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();
    /// <summary>How long a statement waits for another connection's lock before SQLite answers "busy".</summary>
    internal const int BusyTimeoutMs = 10_000;

    internal static readonly string Sql = $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={BusyTimeoutMs}; PRAGMA secure_delete=ON; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=4000;";

    readonly ConditionalWeakTable<object, object> _set = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!FirstOpening(connection))
        {
            return;
        }
        using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!FirstOpening(connection))
        {
            return;
        }
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>True once for each database handle; a handle the pool closed and opened anew is a new one.</summary>
    bool FirstOpening(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle })
        {
            return true;
        }
        var fresh = false;
        _set.GetValue(handle, _ =>
        {
            fresh = true;
            return this;
        });
        return fresh;
    }
}
