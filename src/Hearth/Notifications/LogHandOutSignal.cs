namespace Hearth.Notifications;

/// <summary>
/// A thread's log grew (this node's change bus heard it, from this node or another): the lease holder's hand-out of the
/// log to followers has something to do before its next renewal.
/// </summary>
public sealed class LogHandOutSignal
{
    TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Wake() => Interlocked.Exchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes at the next <see cref="Wake"/>.</summary>
    internal Task Next => Volatile.Read(ref _next).Task;
}
