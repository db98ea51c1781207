using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Tests.Live;

namespace Hearth.ScaleTests;

/// <summary>The public API as a page's script, a moderator's tool and a reader's EventSource call it.</summary>
public static class Api
{
    public static string NewPageUrl() => $"https://blog.example/posts/{Guid.NewGuid():N}";

    public static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        var log = response.RequestMessage?.Options.TryGetValue(CountingHandler.ServerOutput, out var output) == true ? $"\nThe server's log:\n{output}" : "";
        Assert.True(response.StatusCode == expected, $"{what}: expected {(int)expected}, got {(int)response.StatusCode}: {text}{log}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Sends, and fails unless the answer has the expected status.</summary>
    public static async Task Expect(Task<HttpResponseMessage> sending, HttpStatusCode expected)
    {
        using var response = await sending;
        await Json(response, expected, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}");
    }

    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, object? body = null,
        string? bearer = null, string? editToken = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (bearer is not null)
        {
            request.Headers.Authorization = new("Bearer", bearer);
        }
        if (editToken is not null)
        {
            request.Headers.Add("X-Edit-Token", editToken);
        }
        return client.SendAsync(request);
    }

    /// <summary>A guest's comment; the 201's body (with its editToken).</summary>
    public static async Task<JsonElement> CommentAsync(this HttpClient client, string site, string url, string body, long? parentId = null,
        string name = "Guest")
    {
        using var response = await client.SendAsync(HttpMethod.Post, $"/api/v1/sites/{site}/comments",
            new { url, parentId, body, author = new { name } });
        return await Json(response, HttpStatusCode.Created, $"posting to {client.BaseAddress}");
    }

    public static long Id(this JsonElement comment) => comment.GetProperty("id").GetInt64();

    /// <summary>Every page of a thread, oldest first, following nextCursor.</summary>
    public static async Task<(JsonElement Thread, List<JsonElement> Comments)> WholeThreadAsync(this HttpClient client, string site, string url)
    {
        var comments = new List<JsonElement>();
        string? cursor = null;
        JsonElement thread;
        do
        {
            var path = $"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}&sort=oldest&limit=100"
                + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            using var response = await client.GetAsync(path);
            var page = await Json(response, HttpStatusCode.OK, $"reading the thread from {client.BaseAddress}");
            thread = page.GetProperty("thread");
            comments.AddRange(page.GetProperty("comments").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return (thread, comments);
    }

    public static async Task<JsonElement> FirstPageAsync(this HttpClient client, string site, string url)
    {
        using var response = await client.GetAsync($"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}");
        return await Json(response, HttpStatusCode.OK, $"reading the thread from {client.BaseAddress}");
    }

    public static long CommentIdOf(SseEvent e) => JsonDocument.Parse(e.Data).RootElement.GetProperty("id").GetInt64();
    public static long Place(SseEvent e) => long.Parse(e.Id!, CultureInfo.InvariantCulture);
}

/// <summary>
/// A reader of a thread's live stream on one node. It knows which node it is connected to (the client it opened
/// the stream with), keeps every change event in the order received, and can resume elsewhere with Last-Event-ID.
/// </summary>
public sealed class LiveReader : IDisposable
{
    readonly string _site;
    readonly string _url;
    HttpResponseMessage? _response;
    SseReader? _reader;

    LiveReader(string site, string url)
    {
        _site = site;
        _url = url;
    }

    public NodeHandle Node { get; private set; } = null!;
    public List<SseEvent> Received { get; } = [];
    public string? LastEventId => Received.Count == 0 ? null : Received[^1].Id;
    public int Connections { get; private set; }

    public static async Task<LiveReader> OpenAsync(NodeHandle node, string site, string url)
    {
        var reader = new LiveReader(site, url);
        await reader.ConnectAsync(node);
        return reader;
    }

    /// <summary>Opens the stream on that node, from the last event received (as EventSource does after a drop).</summary>
    public async Task ConnectAsync(NodeHandle node)
    {
        Close();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{_site}/live?url={Uri.EscapeDataString(_url)}");
        if (LastEventId is { } last)
        {
            request.Headers.Add("Last-Event-ID", last);
        }
        _response = await node.Stream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, _response.StatusCode);
        Assert.Equal(node.Process!.Address, new Uri(_response.RequestMessage!.RequestUri!.GetLeftPart(UriPartial.Authority)));
        _reader = new SseReader(await _response.Content.ReadAsStreamAsync());
        Assert.Equal("ready", (await _reader.NextAsync(TimeSpan.FromSeconds(30))).Type);
        Node = node;
        Connections++;
    }

    /// <summary>Reads until <paramref name="count"/> change events have arrived in all, or the deadline passes.</summary>
    public async Task ReceiveUntilAsync(int count, DateTime deadline)
    {
        while (Received.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"A reader on {Node} had {Received.Count} of {count} events at its deadline.");
            }
            Received.Add(await _reader!.NextChangeAsync(left));
        }
    }

    /// <summary>Reads until an event about <paramref name="commentId"/> has arrived, or the deadline passes.</summary>
    public async Task ReceiveUntilCommentAsync(long commentId, DateTime deadline)
    {
        while (Received.Count == 0 || Api.CommentIdOf(Received[^1]) != commentId)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"A reader on {Node} had {Received.Count} events and none about {commentId} at its deadline.");
            }
            Received.Add(await _reader!.NextChangeAsync(left));
        }
    }

    /// <summary>
    /// Reads until the stream breaks (its node died) and returns how many events came before; <paramref name="progress"/>
    /// hears the count after each event. Waits at most <paramref name="quiet"/> for any one event.
    /// </summary>
    public async Task<int> ReceiveUntilBrokenAsync(TimeSpan quiet, Action<int>? progress = null)
    {
        try
        {
            while (true)
            {
                Received.Add(await _reader!.NextChangeAsync(quiet));
                progress?.Invoke(Received.Count);
            }
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or HttpRequestException)
        {
            return Received.Count;
        }
    }

    void Close()
    {
        _reader?.Dispose();
        _response?.Dispose();
        _reader = null;
        _response = null;
    }

    public void Dispose() => Close();
}
