namespace Hearth.Live;

/// <summary>Live streams (Server-Sent Events), bound from "Hearth:Live".</summary>
public sealed class LiveOptions
{
    public const string Section = "Hearth:Live";

    /// <summary>A comment line this often keeps proxies and load balancers from closing an idle stream.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Streams end after this long and the browser reconnects with Last-Event-ID, so no connection lives forever.</summary>
    public TimeSpan MaxStreamDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Open streams one client (by IP hash) may hold at once.</summary>
    public int StreamsPerClient { get; set; } = 20;

    /// <summary>How long the browser waits before reconnecting after a dropped stream.</summary>
    public TimeSpan Retry { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// With Redis, how often a node compares where the logs of the threads it streams or caches end with what it has
    /// heard, in case a change message was lost: the longest a reader can wait after Redis comes back.
    /// </summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Live inboxes one person may hold open on a node at once: each page (the inbox page, or every widget of a host page
    /// together) holds one.
    /// </summary>
    public int InboxStreamsPerPerson { get; set; } = 5;
}
