using Hearth.Conversations;

namespace Hearth.Live;

/// <summary>
/// The one place a committed change to a thread is announced: its cached pages are dropped and every live
/// stream waiting on it wakes up to read the event log. Keyed by the thread's address rather than its id,
/// so a stream opened on a page nobody has commented on yet still hears the first comment. An address is
/// remembered only while a stream follows it, so streams on made-up addresses leave nothing behind.
/// </summary>
public sealed class ThreadChanges(ThreadPageCache cache)
{
    readonly Dictionary<string, Followers> _followed = new(StringComparer.Ordinal);

    internal sealed class Followers
    {
        public int Streams;
        public TaskCompletionSource Next = NewSignal();
    }

    static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Addresses followed by at least one open stream.</summary>
    internal int FollowedThreads
    {
        get
        {
            lock (_followed)
            {
                return _followed.Count;
            }
        }
    }

    public void Changed(string threadKey)
    {
        cache.Invalidate(threadKey);
        TaskCompletionSource? woken = null;
        lock (_followed)
        {
            if (_followed.TryGetValue(threadKey, out var followers))
            {
                woken = followers.Next;
                followers.Next = NewSignal();
            }
        }
        woken?.TrySetResult();
    }

    /// <summary>A stream starts following a thread; disposing it stops, and the last one out forgets the address.</summary>
    public Following Follow(string threadKey)
    {
        lock (_followed)
        {
            if (!_followed.TryGetValue(threadKey, out var followers))
            {
                _followed[threadKey] = followers = new Followers();
            }
            followers.Streams++;
            return new Following(this, threadKey, followers);
        }
    }

    public sealed class Following : IDisposable
    {
        readonly ThreadChanges _owner;
        readonly string _threadKey;
        readonly Followers _followers;
        int _disposed;

        internal Following(ThreadChanges owner, string threadKey, Followers followers)
        {
            _owner = owner;
            _threadKey = threadKey;
            _followers = followers;
        }

        /// <summary>
        /// A task that completes at the next change. Take it before reading the log, so a change that lands
        /// between the read and the wait is not slept through.
        /// </summary>
        public Task NextChange()
        {
            lock (_owner._followed)
            {
                return _followers.Next.Task;
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }
            lock (_owner._followed)
            {
                if (--_followers.Streams == 0)
                {
                    _owner._followed.Remove(_threadKey);
                }
            }
        }
    }
}
