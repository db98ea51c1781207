// Live fan-out: READERS live streams on one thread of one node, then COMMENTS new comments posted to that thread one
// at a time. Each comment's delivery time is counted for every reader from the moment its post was sent to the moment
// that reader has read the event, so the post itself is part of it. Server memory is the server's resident set before
// the streams open and once they all have, divided by the number of streams.
//
// Usage: LiveFanOut BASE_URL SITE PAGE_URL SERVER_PID [READERS] [COMMENTS]
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;

var baseUrl = args[0];
var site = args[1];
var page = args[2];
var serverPid = int.Parse(args[3], CultureInfo.InvariantCulture);
var readers = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 10_000;
var comments = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 10;
var inv = CultureInfo.InvariantCulture;

using var http = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = int.MaxValue,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    ConnectTimeout = TimeSpan.FromSeconds(60),
})
{
    BaseAddress = new Uri(baseUrl),
    Timeout = Timeout.InfiniteTimeSpan,
};

// The thread exists and has a comment, as a page people are reading would.
(await PostAsync("The first comment on the page everyone is reading.")).EnsureSuccessStatusCode();
var rssBefore = ResidentBytes(serverPid);

var clock = Stopwatch.StartNew();
var arrivals = new long[comments, readers];
var ready = 0;
var failures = 0;
using var stop = new CancellationTokenSource();
var opening = new SemaphoreSlim(200);
var streams = Enumerable.Range(0, readers).Select(async r =>
{
    await opening.WaitAsync();
    var released = false;
    try
    {
        using var response = await http.GetAsync($"/api/v1/sites/{site}/live?url={Uri.EscapeDataString(page)}", HttpCompletionOption.ResponseHeadersRead, stop.Token);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token), Encoding.UTF8);
        var type = "";
        var seen = 0;
        while (await reader.ReadLineAsync(stop.Token) is { } line)
        {
            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                type = line[6..].Trim();
            }
            else if (line.Length == 0)
            {
                if (type == "ready" && !released)
                {
                    released = true;
                    opening.Release();
                    Interlocked.Increment(ref ready);
                }
                else if (type == "comment.created" && seen < comments)
                {
                    arrivals[seen++, r] = clock.ElapsedTicks;
                }
                type = "";
            }
        }
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
    }
    catch (Exception e)
    {
        if (Interlocked.Increment(ref failures) <= 3)
        {
            Console.Error.WriteLine($"[live] stream {r}: {e.GetType().Name}: {e.Message}");
        }
    }
    finally
    {
        if (!released)
        {
            opening.Release();
        }
    }
}).ToList();

var openWatch = Stopwatch.StartNew();
while (Volatile.Read(ref ready) + Volatile.Read(ref failures) < readers)
{
    await Task.Delay(100);
}
Console.Error.WriteLine($"[live] {ready} streams open in {openWatch.Elapsed.TotalSeconds:0.0} s ({failures} failed)");
// Let the server settle (its collector runs on its own schedule) before reading its memory.
await Task.Delay(TimeSpan.FromSeconds(5));
var rssOpen = ResidentBytes(serverPid);

var sent = new long[comments];
for (var c = 0; c < comments; c++)
{
    sent[c] = clock.ElapsedTicks;
    (await PostAsync($"New comment number {c}, for everyone reading.")).EnsureSuccessStatusCode();
    // The next one once every reader has this one (or 30 s), so deliveries of one comment are not queued behind another's.
    var deadline = Stopwatch.StartNew();
    while (deadline.Elapsed < TimeSpan.FromSeconds(30) && Enumerable.Range(0, readers).Any(r => arrivals[c, r] == 0))
    {
        await Task.Delay(50);
    }
    await Task.Delay(500);
}
stop.Cancel();
await Task.WhenAll(streams);

var latencies = new List<double>(comments * ready);
var missing = 0;
for (var c = 0; c < comments; c++)
{
    for (var r = 0; r < readers; r++)
    {
        if (arrivals[c, r] == 0)
        {
            missing++;
        }
        else
        {
            latencies.Add((arrivals[c, r] - sent[c]) * 1000.0 / Stopwatch.Frequency);
        }
    }
}
latencies.Sort();
double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
Console.WriteLine(string.Create(inv, $"readers={readers} open={ready} failed={failures} comments={comments} deliveries={latencies.Count} missing={missing}"));
Console.WriteLine(string.Create(inv, $"delivery p50_ms={Percentile(0.50):0.0} p99_ms={Percentile(0.99):0.0} max_ms={latencies.LastOrDefault():0.0}"));
Console.WriteLine(string.Create(inv, $"server_rss_mb before={rssBefore / 1048576.0:0.0} open={rssOpen / 1048576.0:0.0} per_stream_kb={(rssOpen - rssBefore) / 1024.0 / Math.Max(1, ready):0.0}"));

Task<HttpResponseMessage> PostAsync(string body) =>
    http.PostAsJsonAsync($"/api/v1/sites/{site}/comments", new { url = page, body, author = new { name = "Writer" } });

static long ResidentBytes(int pid)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
    }
    throw new InvalidOperationException("No VmRSS for the server.");
}
