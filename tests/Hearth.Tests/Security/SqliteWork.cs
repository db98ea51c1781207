using System.Collections.Concurrent;
using System.Data.Common;
using Hearth.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SQLitePCL;

namespace Hearth.Tests.Security;

/// <summary>
/// How much work SQLite does for each query the server sends: the virtual-machine steps it runs (a progress handler
/// called at every step), which grow with the rows it walks, not with how busy the machine is. Deterministic, so a
/// test can say "a page of a big thread costs what a page of a small one costs" without timing anything.
/// </summary>
public sealed class SqliteWork : DbCommandInterceptor
{
    readonly ConcurrentQueue<(string Sql, long Steps)> _done = new();
    readonly ConcurrentDictionary<DbCommand, Counter> _running = new();

    sealed class Counter
    {
        public long Steps;
    }

    public IReadOnlyList<(string Sql, long Steps)> Commands => [.. _done];

    public void Clear() => _done.Clear();

    void Start(DbCommand command)
    {
        var counter = new Counter();
        _running[command] = counter;
        raw.sqlite3_progress_handler(((SqliteConnection)command.Connection!).Handle, 1, _ => { counter.Steps++; return 0; }, null);
    }

    void Stop(DbCommand command)
    {
        if (_running.TryRemove(command, out var counter))
        {
            raw.sqlite3_progress_handler(((SqliteConnection)command.Connection!).Handle, 0, null, null);
            _done.Enqueue((command.CommandText, counter.Steps));
        }
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Start(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Start(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        Stop(command);
        return result;
    }

    public override ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        Stop(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        Stop(command);
        return result;
    }
}

/// <summary>Hearth with every query's SQLite work counted.</summary>
public sealed class MeasuredHearthApp : HearthApp
{
    public SqliteWork Work { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.ConfigureDbContext<SqliteHearthDb>(db => db.AddInterceptors(Work)));
    }
}
