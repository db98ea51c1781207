using System.Data;
using Hearth.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Portability;

/// <summary>
/// One read-only transaction around a whole export, so every page is read from the same moment: a comment posted
/// while the export runs is either in the file with its thread or not at all, whatever page it would have fallen in.
/// </summary>
public static class ExportSnapshot
{
    public static async Task<IDbContextTransaction> BeginAsync(HearthDb db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite())
        {
            return await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        }
        // A deferred transaction takes no lock until it reads, and then only a read snapshot (WAL): the server keeps
        // writing. Microsoft.Data.Sqlite's own default would be BEGIN IMMEDIATE, which holds every writer off.
        await db.Database.OpenConnectionAsync(ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        return (await db.Database.UseTransactionAsync(connection.BeginTransaction(IsolationLevel.Serializable, deferred: true), ct))!;
    }
}
