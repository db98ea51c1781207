namespace Hearth.Storage;

/// <summary>
/// Background work that runs on one node of the instance at a time: every node asks for the lease each
/// <see cref="Leases.Renewal"/>, and the one that holds it does a round. A failed round is logged and tried again.
/// </summary>
public abstract class LeasedWork(Leases leases, TimeProvider clock, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock { get; } = clock;
    protected ILogger Logger { get; } = logger;

    /// <summary>The lease's name in the Leases table, e.g. "cleanup:sessions".</summary>
    protected abstract string LeaseName { get; }

    /// <summary>One round of the work, done only while this node holds the lease.</summary>
    protected abstract Task RunAsync(CancellationToken ct);

    /// <summary>Waits until the next round; work that can be woken early (new mail) waits on that too.</summary>
    protected virtual Task WaitAsync(TimeSpan longest, CancellationToken ct) => Task.Delay(longest, Clock, ct);

    /// <summary>Renews the lease in the middle of a long round; false when it is lost (the round must stop).</summary>
    protected Task<bool> StillHeldAsync(CancellationToken ct) => leases.TryTakeAsync(LeaseName, ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var held = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    held = await leases.TryTakeAsync(LeaseName, stoppingToken);
                    if (held)
                    {
                        await RunAsync(stoppingToken);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Logger.LogWarning(e, "Background work {Lease} failed; will try again in {Interval}", LeaseName, Leases.Renewal);
                }
                await WaitAsync(Leases.Renewal, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (held)
            {
                try
                {
                    await leases.ReleaseAsync(LeaseName, CancellationToken.None);
                }
                catch (Exception e)
                {
                    Logger.LogInformation(e, "Could not let the lease {Lease} go; another node takes it when it expires", LeaseName);
                }
            }
        }
    }
}
