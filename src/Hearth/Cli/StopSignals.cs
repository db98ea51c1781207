using System.Runtime.InteropServices;

namespace Hearth.Cli;

/// <summary>
/// Ctrl+C or SIGTERM during a long command (an import, a restore) asks it to stop and take back what it started, its
/// staged rows, its run's record, its unpacked copy, instead of ending the process where it stands; a second signal
/// ends it at once. The parser's own handling is off for the server's sake (<see cref="HearthCli"/>), and the process
/// would otherwise end at the first signal.
/// </summary>
public sealed class StopSignals : IDisposable
{
    readonly CancellationTokenSource _stop;
    readonly PosixSignalRegistration _interrupt, _terminate;

    public StopSignals(CancellationToken ct)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    }

    public CancellationToken Token => _stop.Token;

    void Stop(PosixSignalContext context)
    {
        if (!_stop.IsCancellationRequested)
        {
            context.Cancel = true;
            _stop.Cancel();
        }
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }
}
