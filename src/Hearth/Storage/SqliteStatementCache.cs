using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Hearth.Storage;

/// <summary>
/// Keeps SQLite's compiled statements for as long as their connection stays open, so a statement sent again on it runs
/// without being compiled again. Compiling (parsing, resolving names, planning) costs more than running most of the
/// statements a post sends, and a batch of posts sends the same few statements once per post on one open connection.
/// </summary>
/// <remarks>
/// EF makes a new command for every execution, and a SQLite command's compiled statements die with it. Here each
/// command EF makes is wrapped: EF and every interceptor see it as before, and when it runs, a command kept for the
/// connection and the text runs instead, with its parameters. SQLite disposes every command of a connection when the
/// connection closes, and this cache forgets them then. A command that failed is not kept: whatever state an error
/// left it in is not handed to the next execution.
/// </remarks>
sealed class SqliteStatementCache : DbCommandInterceptor
{
    public static readonly SqliteStatementCache Instance = new();

    /// <summary>Texts kept per open connection: more than a batch of posts sends, few enough to bound memory.</summary>
    const int PerConnection = 64;

    /// <summary>
    /// Longer texts are run once and not kept: a statement this long has its values written into it (a list of ids),
    /// so it never comes again, and its compiled program is as large as its text; 64 of them held an import's memory.
    /// </summary>
    internal const int LongestKept = 16 * 1024;

    readonly ConditionalWeakTable<SqliteConnection, Kept> _kept = new();

    public override DbCommand CommandCreated(CommandEndEventData eventData, DbCommand result) =>
        result is SqliteCommand command ? new KeptCommand(command, this) : result;

    Kept For(SqliteConnection connection) => _kept.GetValue(connection, c =>
    {
        var fresh = new Kept();
        c.StateChange += fresh.Closed;
        return fresh;
    });

    /// <summary>The commands kept for one connection, by text; used by one caller at a time, as the connection is.</summary>
    sealed class Kept
    {
        readonly Dictionary<string, Entry> _commands = new(StringComparer.Ordinal);
        long _clock;

        public Entry? Take(SqliteConnection connection, string sql)
        {
            if (_commands.TryGetValue(sql, out var kept))
            {
                if (kept.Reading)
                {
                    // Still being read (a statement run inside its own rows): this execution keeps its own command.
                    return null;
                }
                kept.Used = ++_clock;
                return kept;
            }
            if (sql.Length > LongestKept || _commands.Count >= PerConnection && !Evict())
            {
                return null;
            }
            var command = connection.CreateCommand();
            command.CommandText = sql;
            return _commands[sql] = new Entry(command) { Used = ++_clock };
        }

        public void Forget(Entry entry)
        {
            if (_commands.Remove(entry.Command.CommandText))
            {
                entry.Command.Dispose();
            }
        }

        bool Evict()
        {
            var oldest = _commands.Values.Where(e => !e.Reading).MinBy(e => e.Used);
            if (oldest is null)
            {
                return false;
            }
            Forget(oldest);
            return true;
        }

        // Closing the connection has already disposed the commands and their statements; only the names go.
        public void Closed(object? sender, StateChangeEventArgs change)
        {
            if (change.CurrentState == ConnectionState.Closed)
            {
                _commands.Clear();
            }
        }
    }

    sealed class Entry(SqliteCommand command)
    {
        public SqliteCommand Command { get; } = command;
        public long Used { get; set; }
        public SqliteDataReader? Reader { get; set; }
        public bool Reading => Reader is { IsClosed: false };
    }

    /// <summary>EF's command, run through the kept one when there is one to run.</summary>
    sealed class KeptCommand(SqliteCommand inner, SqliteStatementCache cache) : DbCommand
    {
        [AllowNull]
        public override string CommandText { get => inner.CommandText; set => inner.CommandText = value; }
        public override int CommandTimeout { get => inner.CommandTimeout; set => inner.CommandTimeout = value; }
        public override CommandType CommandType { get => inner.CommandType; set => inner.CommandType = value; }
        public override bool DesignTimeVisible { get => inner.DesignTimeVisible; set => inner.DesignTimeVisible = value; }
        public override UpdateRowSource UpdatedRowSource { get => inner.UpdatedRowSource; set => inner.UpdatedRowSource = value; }
        protected override DbConnection? DbConnection { get => inner.Connection; set => inner.Connection = (SqliteConnection?)value; }
        protected override DbParameterCollection DbParameterCollection => inner.Parameters;
        protected override DbTransaction? DbTransaction { get => inner.Transaction; set => inner.Transaction = (SqliteTransaction?)value; }

        public override void Cancel() => inner.Cancel();
        public override void Prepare() => inner.Prepare();
        protected override DbParameter CreateDbParameter() => inner.CreateParameter();

        public override int ExecuteNonQuery() => Run(c => c.ExecuteNonQuery());
        public override object? ExecuteScalar() => Run(c => c.ExecuteScalar());

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) =>
            Run(c => (DbDataReader)c.ExecuteReader(behavior), reading: true);

        // Microsoft.Data.Sqlite runs every statement synchronously; its Async methods only wrap the same work in a task.
        public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(ExecuteNonQuery());
        }

        public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(ExecuteScalar());
        }

        protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(ExecuteDbDataReader(behavior));
        }

        T Run<T>(Func<SqliteCommand, T> run, bool reading = false)
        {
            if (inner is not { CommandType: CommandType.Text, Connection: { State: ConnectionState.Open } connection })
            {
                return run(inner);
            }
            var kept = cache.For(connection);
            if (kept.Take(connection, inner.CommandText) is not { } entry)
            {
                return run(inner);
            }
            var command = entry.Command;
            command.Transaction = inner.Transaction;
            command.CommandTimeout = inner.CommandTimeout;
            command.Parameters.Clear();
            foreach (SqliteParameter parameter in inner.Parameters)
            {
                command.Parameters.Add(parameter);
            }
            try
            {
                var result = run(command);
                if (reading)
                {
                    entry.Reader = (SqliteDataReader)(object)result!;
                }
                return result;
            }
            catch
            {
                kept.Forget(entry);
                throw;
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
