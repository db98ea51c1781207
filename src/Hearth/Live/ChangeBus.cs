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
    /// <summary>Told after the commit; delivered to this node at once and to the others as soon as the bus can.</summary>
    void Publish(ThreadMoved moved);
}

/// <summary>One node: a change is this node's alone.</summary>
public sealed class InProcessChangeBus(NodeChanges node) : IChangeBus
{
    public void Publish(ThreadMoved moved) => node.Receive(moved);
}
