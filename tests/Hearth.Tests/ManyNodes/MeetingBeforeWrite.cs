using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Hearth.Tests.ManyNodes;

/// <summary>
/// Holds the first two commands that contain one of some statements (on any node) until both have arrived, so two
/// requests are sure to have read what they read before either writes: the race of two nodes, made to happen every
/// time instead of now and then. Once armed it holds only that one meeting; a retry passes freely.
/// </summary>
public sealed class MeetingBeforeWrite : DbCommandInterceptor
{
    /// <summary>Long enough for any machine; a meeting that does not happen lets the commands go and says so.</summary>
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    readonly Lock _lock = new();
    string[]? _statements;
    int _arrived;
    TaskCompletionSource? _met;

    /// <summary>True once two commands met at the armed statement.</summary>
    public bool Met { get; private set; }

    /// <summary>Holds the next two commands whose text contains one of <paramref name="statements"/> (e.g. INSERT INTO "Users").</summary>
    public void Arm(params string[] statements)
    {
        lock (_lock)
        {
            (_statements, _arrived, _met, Met) = (statements, 0, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), false);
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
            if (_met is null || _statements is null || !_statements.Any(s => sql.Contains(s, StringComparison.Ordinal)))
            {
                return;
            }
            meeting = _met;
            if (++_arrived == 2)
            {
                (_statements, _met, Met) = (null, null, true);
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
                (_statements, _met) = (null, null);
            }
        }
    }
}
