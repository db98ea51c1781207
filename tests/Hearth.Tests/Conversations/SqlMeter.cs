using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Hearth.Tests.Conversations;

/// <summary>
/// Counts what the server asks of SQLite while it is switched on: the SQL commands it sends, and the virtual-machine
/// steps SQLite takes to run them (one step per instruction: every row read is a few), which grow with the rows a
/// statement reads whatever the machine's speed. Both are deterministic for the same data, unlike time. On PostgreSQL
/// only the commands are counted (their steps are 0): tests about steps say they are about SQLite alone.
/// </summary>
public sealed class SqlMeter : DbCommandInterceptor
{
    readonly ConditionalWeakTable<DbConnection, Steps> _steps = new();
    readonly Lock _lock = new();
    List<(string Sql, long Steps)>? _commands;
    List<string>? _inTransactions;

    /// <summary>Of the commands the last <see cref="Stop"/> returned, those sent inside a transaction (a batch of posts, say).</summary>
    public IReadOnlyList<string> InTransactions { get; private set; } = [];

    sealed class Steps
    {
        public long Count;
    }

    /// <summary>Starts counting afresh; what was counted before is dropped.</summary>
    public void Start()
    {
        lock (_lock)
        {
            _commands = [];
            _inTransactions = [];
        }
    }

    /// <summary>Stops counting and returns the commands sent since <see cref="Start"/>, each with the steps it took.</summary>
    public IReadOnlyList<(string Sql, long Steps)> Stop()
    {
        lock (_lock)
        {
            var result = _commands ?? [];
            InTransactions = _inTransactions ?? [];
            _commands = null;
            _inTransactions = null;
            return result;
        }
    }

    Steps For(DbConnection connection)
    {
        var steps = _steps.GetValue(connection, _ => new Steps());
        // PostgreSQL has no step counter: there the meter counts commands only.
        if (connection is not SqliteConnection sqlite)
        {
            return steps;
        }
        // Set on every use: the handler belongs to the native connection, which the pool may have opened anew.
        SQLitePCL.raw.sqlite3_progress_handler(sqlite.Handle, 1, state =>
        {
            ((Steps)state).Count++;
            return 0;
        }, steps);
        return steps;
    }

    void Record(DbCommand command, long steps)
    {
        // The copy of the write-ahead log into the file follows an earlier batch, on a connection of its own, whenever
        // it is due (Storage.WalCheckpoints): it belongs to no request a test measures.
        if (command.CommandText == "PRAGMA wal_checkpoint(PASSIVE)")
        {
            return;
        }
        lock (_lock)
        {
            if (_commands is not null)
            {
                _commands.Add((command.CommandText, steps));
                if (command.Transaction is not null)
                {
                    _inTransactions!.Add(command.CommandText);
                }
            }
        }
    }

    // A reader's rows are stepped through after it is returned, so its steps are counted when it closes.
    readonly ConditionalWeakTable<DbCommand, StrongBox<long>> _startedAt = new();

    void Begin(DbCommand command)
    {
        var steps = For(command.Connection!);
        _startedAt.AddOrUpdate(command, new StrongBox<long>(steps.Count));
    }

    void End(DbCommand command)
    {
        var steps = _steps.GetValue(command.Connection!, _ => new Steps());
        var start = _startedAt.TryGetValue(command, out var box) ? box.Value : steps.Count;
        Record(command, steps.Count - start);
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Begin(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Begin(command);
        return result;
    }

    public override InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        End(command);
        return result;
    }

    public override ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        End(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Begin(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Begin(command);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        End(command);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        End(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Begin(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken = default)
    {
        End(command);
        return ValueTask.FromResult(result);
    }
}
