namespace Hearth.Live;

/// <summary>
/// Thread <see cref="ThreadKey"/> (site and address, as <see cref="Conversations.ThreadPageCache.ThreadKey"/>) changed:
/// its log now ends at <see cref="Seq"/> when known. Keyed by address so streams on a page nobody has commented on yet
/// hear the first comment.
/// </summary>
public sealed record ThreadMoved(string ThreadKey, long? ThreadId, long? Seq);

/// <summary>
/// Carries committed changes to every node: in-process when one node serves the instance, Redis pub/sub when several do.
/// It only wakes nodes; what changed is read from the log, so a lost message costs a delay, never an event.
/// </summary>
public interface IChangeBus
{
    /// <summary>Called after the commit, before the write is acknowledged; this node hears it before it returns.</summary>
    Task PublishAsync(ThreadMoved moved);

    /// <summary>
    /// Whether a page read at place <paramref name="seq"/> of the thread's log is still current as far as the bus knows: a
    /// write acknowledged on another node is known here even if its message has not arrived yet.
    /// </summary>
    ValueTask<bool> IsCurrentAsync(string threadKey, long seq);
}

/// <summary>One node: a change is this node's alone, and heard before the writer answers.</summary>
public sealed class InProcessChangeBus(NodeChanges node) : IChangeBus
{
    public Task PublishAsync(ThreadMoved moved)
    {
        node.Receive(moved);
        return Task.CompletedTask;
    }

    public ValueTask<bool> IsCurrentAsync(string threadKey, long seq) => ValueTask.FromResult(true);
}
