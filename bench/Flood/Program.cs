// Reads under a write flood. Readers ask for one thread page at a steady rate while the thread takes comments as fast
// as its per-thread limit allows (a busy, legitimate conversation: the "normal" the flood is compared with); then the
// same again while 50 addresses each also post to that thread at ten times the rate one client may write. Latency
// is measured from when each read was due, not when it was sent, so a stalled server cannot hide its stall.
//
// Usage: Flood BASE_URL SITE PAGE_URL [SECONDS_PER_PHASE] [READS_PER_SECOND] [CLIENT_WRITES_PER_MINUTE] [THREAD_COMMENTS_PER_MINUTE]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;

var baseUrl = args[0];
var site = args[1];
var page = args[2];
var seconds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20;
var readRate = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 200;
var clientLimit = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 20;
var threadLimit = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 60;
const int Flooders = 50;

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
{
    BaseAddress = new Uri(baseUrl),
    Timeout = TimeSpan.FromSeconds(30),
};
var readPath = $"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(page)}";

// A thread worth reading: 50 comments by 50 people.
for (var i = 0; i < 50; i++)
{
    using var seeded = await PostAsync(http, site, page, $"198.18.0.{i + 1}", $"Early reader {i}", $"Comment {i} about the new footbridge and the old ferry.");
    if (seeded.StatusCode != HttpStatusCode.Created)
    {
        throw new InvalidOperationException($"Seeding failed: {(int)seeded.StatusCode} {await seeded.Content.ReadAsStringAsync()}");
    }
}

// Warm up both paths, reading and being flooded (on another page, from other addresses and names), so neither
// phase pays for the runtime compiling code the other ran first. Then let the thread's minute pass.
var floodInterval = TimeSpan.FromMinutes(1) / (clientLimit * 10.0);
var warm = Posters.Start(Flooders, floodInterval, (n, i) => PostAsync(http, site, "http://localhost:8080/bench/warm-up", $"192.0.2.{n + 1}", $"Warm {n}", $"Warm-up {n}-{i}"));
await ReadPhaseAsync(http, readPath, 5, readRate);
await warm.StopAsync();
Console.Error.WriteLine("[flood] letting the thread's one-minute window pass");
await Task.Delay(TimeSpan.FromSeconds(61));

// Regular people post at the thread's limit throughout, each under their own name and address.
var regularInterval = TimeSpan.FromMinutes(1) / threadLimit;
var regulars = 0;
Posters Regulars() => Posters.Start(1, regularInterval, (_, i) =>
{
    var n = Interlocked.Increment(ref regulars);
    return PostAsync(http, site, page, $"198.19.{n / 250}.{n % 250 + 1}", $"Regular {n}", $"A thought from regular {n} on the ferry timetable.");
});

var normal = Regulars();
var quiet = await ReadPhaseAsync(http, readPath, seconds, readRate);
await normal.StopAsync();

var busy = Regulars();
var flood = Posters.Start(Flooders, floodInterval, (n, i) => PostAsync(http, site, page, $"203.0.113.{n + 1}", $"Flooder {n}", $"Buy followers now, offer {n}-{i} ends today"));
var flooded = await ReadPhaseAsync(http, readPath, seconds, readRate);
await flood.StopAsync();
await busy.StopAsync();

var inv = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(inv, $"reads_per_second={readRate} seconds_per_phase={seconds} regular_posts_per_second={1 / regularInterval.TotalSeconds:0.0} flooders={Flooders} flood_posts_per_second={Flooders / floodInterval.TotalSeconds:0}"));
Console.WriteLine(string.Create(inv, $"normal reads={quiet.Count} p50_ms={quiet.P50:0.00} p99_ms={quiet.P99:0.00} errors={quiet.Errors} regular_posts={normal.Summary}"));
Console.WriteLine(string.Create(inv, $"flood reads={flooded.Count} p50_ms={flooded.P50:0.00} p99_ms={flooded.P99:0.00} errors={flooded.Errors} regular_posts={busy.Summary} flood_posts={flood.Summary}"));
Console.WriteLine(string.Create(inv, $"p99_ratio={flooded.P99 / quiet.P99:0.00}"));

static Task<HttpResponseMessage> PostAsync(HttpClient http, string site, string page, string address, string name, string body)
{
    var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/comments")
    {
        Content = JsonContent.Create(new { url = page, body, author = new { name } }),
    };
    request.Headers.Add("X-Forwarded-For", address);
    return http.SendAsync(request);
}

static async Task<Phase> ReadPhaseAsync(HttpClient http, string path, int seconds, int rate)
{
    var total = seconds * rate;
    var latencies = new double[total];
    var errors = 0;
    var reads = new List<Task>(total);
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < total; i++)
    {
        var due = TimeSpan.FromSeconds((double)i / rate);
        var wait = due - clock.Elapsed;
        if (wait > TimeSpan.FromMilliseconds(1))
        {
            await Task.Delay(wait);
        }
        var index = i;
        reads.Add(Task.Run(async () =>
        {
            try
            {
                using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref errors);
            }
            latencies[index] = (clock.Elapsed - due).TotalMilliseconds;
        }));
    }
    await Task.WhenAll(reads);
    Array.Sort(latencies);
    return new Phase(total, latencies[total / 2], latencies[(int)(total * 0.99)], errors);
}

sealed record Phase(int Count, double P50, double P99, int Errors);

/// <summary>Posters, each sending one post per interval until stopped; counts the answers by status.</summary>
sealed class Posters
{
    readonly CancellationTokenSource _stop = new();
    readonly int[] _answers = new int[600];
    List<Task> _loops = [];

    public static Posters Start(int count, TimeSpan interval, Func<int, int, Task<HttpResponseMessage>> post)
    {
        var posters = new Posters();
        posters._loops = [.. Enumerable.Range(0, count).Select(n => Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            var i = 0;
            try
            {
                while (await timer.WaitForNextTickAsync(posters._stop.Token))
                {
                    using var response = await post(n, i++);
                    Interlocked.Increment(ref posters._answers[(int)response.StatusCode]);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }))];
        return posters;
    }

    public string Summary => $"{_answers[201]}_created/{_answers[429]}_refused/{_answers.Sum() - _answers[201] - _answers[429]}_other";

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }
}
