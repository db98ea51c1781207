// Live fan-out: READERS live streams on one thread of one node, then COMMENTS new comments posted to that thread one
// at a time. Each comment's delivery time is counted for every reader from the moment its post was sent to the moment
// that reader has read the event, so the post itself is part of it. Server memory is the server's resident set before
// the streams open and once they all have, divided by the number of streams.
//
// The first WARMUP comments are delivered and reported but not counted: a server that has just started compiles its
// delivery path while it sends the first comment to every stream, which says how fast the JIT is, not the fan-out.
//
// With LIVE_POST_URL set (another node of the same instance) the comments are posted there while the streams stay on
// BASE_URL, and delivery is also counted from each post's acknowledgement: how long a change takes to cross nodes.
//
// Usage: LiveFanOut BASE_URL SITE PAGE_URL SERVER_PID [READERS] [COMMENTS] [WARMUP]
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;

var baseUrl = args[0];
var site = args[1];
var page = args[2];
var serverPid = int.Parse(args[3], CultureInfo.InvariantCulture);
var readers = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 10_000;
var measured = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 10;
var warmup = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 0;
var comments = warmup + measured;
var postUrl = Environment.GetEnvironmentVariable("LIVE_POST_URL") is { Length: > 0 } other ? new Uri(other) : new Uri(baseUrl);
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
var acked = new long[comments];
var serverCpuBefore = 0L;
var clientCpuBefore = TimeSpan.Zero;
for (var c = 0; c < comments; c++)
{
    if (c == warmup)
    {
        serverCpuBefore = CpuTicks(serverPid);
        clientCpuBefore = Environment.CpuUsage.TotalTime;
    }
    sent[c] = clock.ElapsedTicks;
    (await PostAsync($"New comment number {c}, for everyone reading.")).EnsureSuccessStatusCode();
    acked[c] = clock.ElapsedTicks;
    // The next one once every reader has this one (or 30 s), so deliveries of one comment are not queued behind another's.
    var deadline = Stopwatch.StartNew();
    while (deadline.Elapsed < TimeSpan.FromSeconds(30) && Enumerable.Range(0, readers).Any(r => arrivals[c, r] == 0))
    {
        await Task.Delay(50);
    }
    await Task.Delay(500);
}
var serverCpu = (CpuTicks(serverPid) - serverCpuBefore) * 1000.0 / 100;
var clientCpu = (Environment.CpuUsage.TotalTime - clientCpuBefore).TotalMilliseconds;
// What the open streams cost while nothing happens (the server's timers, its heartbeat over every connection), once the
// runtime has compiled what the opening and the deliveries ran.
var idleBefore = CpuTicks(serverPid);
await Task.Delay(TimeSpan.FromSeconds(5));
var idleCpu = (CpuTicks(serverPid) - idleBefore) * 1000.0 / 100 / 5;
stop.Cancel();
await Task.WhenAll(streams);

var latencies = new List<double>(measured * ready);
var afterAck = new List<double>(measured * ready);
var missing = 0;
for (var c = warmup; c < comments; c++)
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
            afterAck.Add((arrivals[c, r] - acked[c]) * 1000.0 / Stopwatch.Frequency);
        }
    }
}
latencies.Sort();
afterAck.Sort();
for (var c = 0; c < comments; c++)
{
    var one = Enumerable.Range(0, readers).Where(r => arrivals[c, r] != 0)
        .Select(r => (arrivals[c, r] - sent[c]) * 1000.0 / Stopwatch.Frequency).Order().ToList();
    if (one.Count > 0)
    {
        Console.WriteLine(string.Create(inv, $"{(c < warmup ? "warmup" : "comment")} {c} first_ms={one[0]:0.0} p50_ms={one[one.Count / 2]:0.0} p99_ms={one[Math.Min(one.Count - 1, (int)Math.Ceiling(0.99 * one.Count) - 1)]:0.0} last_ms={one[^1]:0.0}"));
    }
}
double Percentile(double p) => Of(latencies, p);
static double Of(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
Console.WriteLine(string.Create(inv, $"readers={readers} open={ready} failed={failures} warmup={warmup} comments={measured} deliveries={latencies.Count} missing={missing}"));
Console.WriteLine(string.Create(inv, $"delivery p50_ms={Percentile(0.50):0.0} p99_ms={Percentile(0.99):0.0} max_ms={latencies.LastOrDefault():0.0}"));
// An event can reach a reader before its writer has the answer; such a delivery counts as 0 after the acknowledgement.
Console.WriteLine(string.Create(inv, $"after_ack mean_ms={(afterAck.Count == 0 ? double.NaN : afterAck.Average(v => Math.Max(0, v))):0.0} p50_ms={Math.Max(0, Of(afterAck, 0.50)):0.0} p99_ms={Math.Max(0, Of(afterAck, 0.99)):0.0} max_ms={Math.Max(0, afterAck.LastOrDefault()):0.0}"));
// CPU while the comments were posted and delivered (with the pauses between them), server and readers apart: on a
// shared machine they take turns on the same cores.
Console.WriteLine(string.Create(inv, $"cpu_ms_per_comment server={serverCpu / measured:0.0} readers={clientCpu / measured:0.0} server_idle_ms_per_s={idleCpu:0.0}"));
Console.WriteLine(string.Create(inv, $"server_rss_mb before={rssBefore / 1048576.0:0.0} open={rssOpen / 1048576.0:0.0} per_stream_kb={(rssOpen - rssBefore) / 1024.0 / Math.Max(1, ready):0.0}"));

Task<HttpResponseMessage> PostAsync(string body) =>
    http.PostAsJsonAsync(new Uri(postUrl, $"/api/v1/sites/{site}/comments"), new { url = page, body, author = new { name = "Writer" } });

// utime + stime of a process in clock ticks (100 a second on Linux).
static long CpuTicks(int pid)
{
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
}

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
