using Hearth.Conversations;
using Hearth.Storage;

namespace Hearth.Live;

/// <summary>
/// Where writers say, after their commit, that threads changed. The change bus carries it to every node (this one
/// included), whose cached pages of those threads go and whose live streams on them read the log.
/// </summary>
public sealed class ThreadChanges(HearthDb db, IChangeBus bus)
{
    /// <summary>Every thread whose log this request's transaction moved, with its last place. Call after the commit.</summary>
    public async Task PublishAsync()
    {
        var moves = db.LogMoves.Values.ToList();
        db.LogMoves.Clear();
        foreach (var move in moves)
        {
            await bus.PublishAsync(new ThreadMoved(move.ThreadKey, move.ThreadId, move.Seq));
        }
    }

    /// <summary>A move made and committed in another context's transaction (a batch of posts, see <see cref="GroupCommit"/>).</summary>
    public Task PublishAsync(ThreadMove moved) => bus.PublishAsync(new ThreadMoved(moved.ThreadKey, moved.ThreadId, moved.Seq));
}
