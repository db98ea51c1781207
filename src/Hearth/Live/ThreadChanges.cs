using Hearth.Conversations;
using Hearth.Storage;

namespace Hearth.Live;

/// <summary>
/// Where writers say, after their commit, that threads changed. The change bus carries it to every node (this one
/// included), whose cached pages of those threads go and whose live streams on them read the log.
/// </summary>
public sealed class ThreadChanges(IChangeBus bus)
{
    /// <summary>Every thread whose log the context moved, with its last place. Call after the commit.</summary>
    public void Publish(HearthDb db)
    {
        foreach (var move in db.LogMoves.Values)
        {
            bus.Publish(new ThreadMoved(move.ThreadKey, move.ThreadId, move.Seq));
        }
        db.LogMoves.Clear();
    }

    /// <summary>A thread changed without a place in its log known here (a lock, an author's new name): every node looks.</summary>
    public void Changed(string threadKey) => bus.Publish(new ThreadMoved(threadKey, null, null));
}
