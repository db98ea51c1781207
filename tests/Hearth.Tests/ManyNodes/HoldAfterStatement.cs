using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Hearth.Tests.ManyNodes;

/// <summary>
/// Holds the next command that contains an armed statement, once it has run (the rows it changed locked, its
/// transaction still open), until the test lets it go: a writer caught half-way, for another to meet.
/// </summary>
public sealed class HoldAfterStatement : DbCommandInterceptor
{
    readonly Lock _lock = new();
    (string Statement, TaskCompletionSource Reached, TaskCompletionSource Release)? _armed;

    public (TaskCompletionSource Reached, TaskCompletionSource Release) Arm(string statement)
    {
        var hold = (statement, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
            new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_lock)
        {
            _armed = hold;
        }
        return (hold.Item2, hold.Item3);
    }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default)
    {
        await HoldAsync(command.CommandText);
        return result;
    }

    public override async ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        await HoldAsync(command.CommandText);
        return result;
    }

    async Task HoldAsync(string sql)
    {
        (string Statement, TaskCompletionSource Reached, TaskCompletionSource Release)? hold = null;
        lock (_lock)
        {
            if (_armed is { } armed && sql.Contains(armed.Statement, StringComparison.Ordinal))
            {
                (hold, _armed) = (_armed, null);
            }
        }
        if (hold is { } h)
        {
            h.Reached.TrySetResult();
            await h.Release.Task.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        }
    }
}
