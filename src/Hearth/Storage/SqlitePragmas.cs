using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Hearth.Storage;

/// <summary>
/// Per-connection SQLite settings. WAL with synchronous=NORMAL keeps every committed transaction across a crash
/// of the process (only a power cut can lose the last ones) at a fraction of the cost of a sync per commit.
/// secure_delete overwrites what is deleted (and the space rows leave behind when pages are rearranged) with zeros,
/// so a deleted account's words and names do not linger in the file's free space; it costs a little writing when
/// pages are freed.
/// </summary>
sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();
    const string Sql = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA secure_delete=ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
