using Hearth.Conversations;

namespace Hearth.Live;

/// <summary>
/// What this node does when the change bus says a thread moved: drop its cached pages, wake its streams on it, and look
/// for new notifications for the inbox streams it holds (a reply or mention is written with its thread's move), and
/// tell the team inboxes watching the thread's site, and wake the hand-out of the log to followers.
/// </summary>
public sealed class NodeChanges(ThreadPageCache cache, LiveFanOut fanOut, InboxWatch inboxes, Notifications.LogHandOutSignal handOut)
{
    public void Receive(ThreadMoved moved)
    {
        cache.Invalidate(moved.ThreadKey);
        fanOut.Wake(moved);
        inboxes.Wake();
        inboxes.Moved(moved.ThreadKey);
        handOut.Wake();
    }

    /// <summary>The bus is down: other nodes' writes go unheard, so no page is served from memory meanwhile.</summary>
    public void Lost() => cache.Suspend();

    /// <summary>The bus is back: whatever moved meanwhile is read from the log, and pages are built afresh.</summary>
    public void Restored()
    {
        cache.Resume();
        fanOut.WakeAll();
        inboxes.Wake();
        inboxes.MovedAnywhere();
        handOut.Wake();
    }
}
