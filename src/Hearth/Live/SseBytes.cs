using System.Net.ServerSentEvents;

namespace Hearth.Live;

/// <summary>
/// An event as it goes on the wire, made once: every stream that sends it writes the same bytes, so ten thousand readers
/// of one thread cost one serialisation per event, not ten thousand.
/// </summary>
public static class SseBytes
{
    /// <summary>The standard formatter's bytes for one event, so the wire format stays the one EventSource expects.</summary>
    public static byte[] Encode(SseItem<string> item)
    {
        using var bytes = new MemoryStream();
        // A MemoryStream completes every write at once.
        SseFormatter.WriteAsync(new[] { item }.ToAsyncEnumerable(), bytes).GetAwaiter().GetResult();
        return bytes.ToArray();
    }
}
