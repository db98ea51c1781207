using System.Text;

namespace Hearth.Tests.Live;

public sealed record SseEvent(string? Id, string Type, string Data);

/// <summary>Reads a text/event-stream response event by event, as a browser's EventSource would.</summary>
public sealed class SseReader(Stream stream) : IDisposable
{
    readonly StreamReader _reader = new(stream, Encoding.UTF8);

    public async Task<SseEvent> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        string? id = null, type = null;
        var data = new StringBuilder();
        while (true)
        {
            var line = await _reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException("The stream ended.");
            if (line.Length == 0)
            {
                if (type is null && data.Length == 0 && id is null)
                {
                    continue;
                }
                return new SseEvent(id, type ?? "message", data.ToString());
            }
            if (line.StartsWith(':'))
            {
                continue;
            }
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id": id = value; break;
                case "event": type = value; break;
                case "data": data.Append(data.Length > 0 ? "\n" : "").Append(value); break;
            }
        }
    }

    /// <summary>The next event that is not a keep-alive or the opening "ready".</summary>
    public async Task<SseEvent> NextChangeAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            var e = await NextAsync(timeout);
            if (e.Type is not ("ping" or "ready"))
            {
                return e;
            }
        }
    }

    public void Dispose() => _reader.Dispose();
}
