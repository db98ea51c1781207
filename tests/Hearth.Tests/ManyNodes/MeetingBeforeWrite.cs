using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Hearth.Tests.ManyNodes;

/// <summary>
/// Holds the first two commands that start with a given statement (on any node) until both have arrived, so two
/// requests are sure to have read what they read before either writes: the race of two nodes, made to happen every
/// time instead of now and then. Once armed it holds only that one meeting; a retry passes freely.
/// </summary>
public sealed class MeetingBeforeWrite : DbCommandInterceptor
{
    /// <summary>Long enough for any machine; a meeting that does not happen lets the commands go and says so.</summary>
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    readonly Lock _lock = new();
    string? _statement;
    int _arrived;
    TaskCompletionSource? _met;

    /// <summary>True once two commands met at the armed statement.</summary>
    public bool Met { get; private set; }

    /// <summary>Holds the next two commands whose text contains <paramref name="statement"/> (e.g. INSERT INTO "Users").</summary>
    public void Arm(string statement)
    {
        lock (_lock)
        {
            (_statement, _arrived, _met, Met) = (statement, 0, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), false);
        }
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await MeetAsync(command.CommandText);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await MeetAsync(command.CommandText);
        return result;
    }

    async Task MeetAsync(string sql)
    {
        TaskCompletionSource meeting;
        lock (_lock)
        {
            if (_met is null || _statement is null || !sql.Contains(_statement, StringComparison.Ordinal))
            {
                return;
            }
            meeting = _met;
            if (++_arrived == 2)
            {
                (_statement, _met, Met) = (null, null, true);
                meeting.SetResult();
                return;
            }
        }
        try
        {
            await meeting.Task.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            lock (_lock)
            {
                (_statement, _met) = (null, null);
            }
        }
    }
}
