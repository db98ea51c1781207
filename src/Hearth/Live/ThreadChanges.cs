using System.Collections.Concurrent;
using Hearth.Conversations;

namespace Hearth.Live;

/// <summary>
/// The one place a committed change to a thread is announced: its cached pages are dropped and every live
/// stream waiting on it wakes up to read the event log. Keyed by the thread's address rather than its id,
/// so a stream opened on a page nobody has commented on yet still hears the first comment.
/// </summary>
public sealed class ThreadChanges(ThreadPageCache cache)
{
    readonly ConcurrentDictionary<string, TaskCompletionSource> _next = new(StringComparer.Ordinal);

    public void Changed(string threadKey)
    {
        cache.Invalidate(threadKey);
        if (_next.TryRemove(threadKey, out var waiting))
        {
            waiting.TrySetResult();
        }
    }

    /// <summary>
    /// A task that completes at the next change. Take it before reading the log, so a change that lands
    /// between the read and the wait is not slept through.
    /// </summary>
    public Task NextChange(string threadKey) =>
        _next.GetOrAdd(threadKey, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
}
