using System.Data;
using System.Data.Common;
using Hearth.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Portability;

/// <summary>
/// One read-only transaction around a whole export, so every page is read from the same moment: a comment posted
/// while the export runs is either in the file with its thread or not at all, whatever page it would have fallen in.
/// Disposing it ends the transaction there and then, not when the connection is next closed.
/// </summary>
public sealed class ExportSnapshot : IAsyncDisposable
{
    readonly IDbContextTransaction _context;
    readonly DbTransaction? _own;

    ExportSnapshot(IDbContextTransaction context, DbTransaction? own) => (_context, _own) = (context, own);

    public static async Task<ExportSnapshot> BeginAsync(HearthDb db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite())
        {
            return new(await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct), null);
        }
        // A deferred transaction takes no lock until it reads, and then only a read snapshot (WAL): the server keeps
        // writing. Microsoft.Data.Sqlite's own default would be BEGIN IMMEDIATE, which holds every writer off. EF does
        // not own a transaction it was handed, so this one is ended here.
        await db.Database.OpenConnectionAsync(ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var own = connection.BeginTransaction(IsolationLevel.Serializable, deferred: true);
        return new((await db.Database.UseTransactionAsync(own, ct))!, own);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _context.DisposeAsync();
        }
        finally
        {
            if (_own is not null)
            {
                await _own.DisposeAsync();
            }
        }
    }
}
