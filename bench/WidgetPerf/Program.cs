// Measures the embed widget in headless Chromium against a running Hearth: seeds a 200-comment thread over HTTP,
// serves a host page with the snippet from a second origin, and times fresh readers (cold cache) and the same
// readers coming back (warm cache). Prints a Markdown table; bench/widget-perf puts it into BENCHMARKS.md.
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

var options = Options.Parse(args);
const int Comments = 200;
const int ReplyPercent = 30;
const double TargetRenderMs = 150;
const double TargetBlockingMs = 50;

var hostOrigin = $"http://127.0.0.1:{options.HostPort}";
var pageUrl = hostOrigin + "/articles/a-long-conversation";
using var http = new HttpClient { BaseAddress = new Uri(options.Hearth), Timeout = TimeSpan.FromSeconds(30) };

await SeedAsync();
var sizes = await WidgetSizesAsync();

// The host site: one article with the snippet exactly as a site owner pastes it.
var host = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "WidgetPerfHost", ContentRootPath = AppContext.BaseDirectory });
host.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, options.HostPort));
host.Logging.ClearProviders();
var app = host.Build();
var article = $$"""
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
    <title>A long conversation</title>
    <style>body { font-family: Georgia, serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; }</style></head>
    <body><article><h1>A long conversation</h1><p>Two hundred people had something to say about this.</p></article>
    <div id="hearth-thread"></div>
    <script src="{{options.Hearth}}/embed.js" data-site="{{options.Site}}" async></script>
    </body></html>
    """;
app.MapGet("/articles/a-long-conversation", () => Results.Content(article, "text/html; charset=utf-8"));
app.MapGet("/", () => Results.Content("<!doctype html><title>The blog</title><p>Latest posts</p>", "text/html; charset=utf-8"));
await app.StartAsync();

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = options.Chromium,
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
});

// Installed before any script of the page runs: long tasks from navigation start, and the first animation frame in
// which the shadow root holds all the comments with the widget shown (its stylesheet in).
const string Probe = """
    (() => {
      const perf = (window.__hearthPerf = { rendered: null, longTasks: [] });
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) perf.longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: "longtask" });
      const check = () => {
        const root = document.getElementById("hearth-thread")?.shadowRoot;
        const box = root?.querySelector(".hearth");
        if (box && !box.hidden && root.querySelectorAll(".comment").length >= __COUNT__) perf.rendered = performance.now();
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    })();
    """;

// When each part of the page had arrived, from navigation start: where the time before the render goes.
const string PhasesScript = """
    () => {
      const at = {};
      const nav = performance.getEntriesByType("navigation")[0];
      at["page HTML in"] = nav.responseEnd;
      at["host page parsed"] = nav.domInteractive;
      for (const r of performance.getEntriesByType("resource")) {
        const name = r.name.includes("/embed.js") ? "loader in" : r.name.includes("/widget/") && r.name.endsWith(".js") ? "widget script in"
          : r.name.includes("/widget/") && r.name.endsWith(".css") ? "widget stylesheet in" : r.name.includes("/thread?") ? "thread JSON in" : null;
        if (name && !(name in at)) at[name] = r.responseEnd;
      }
      return at;
    }
    """;

var cold = new List<Sample>();
var warm = new List<Sample>();
// The first runs warm up Hearth (its JIT tiers up the read path in the background) and the browser; not counted.
const int WarmUpRuns = 3;
for (var run = 1 - WarmUpRuns; run <= options.Runs; run++)
{
    // A fresh context has an empty cache: a first visit. The second navigation in it is the same reader returning.
    await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
    await context.AddInitScriptAsync(Probe.Replace("__COUNT__", Comments.ToString(CultureInfo.InvariantCulture)));
    var page = await context.NewPageAsync();
    // The reader comes from the blog's front page, which has no widget: the browser's own start-up for a new site is
    // not the widget's cost, but nothing of Hearth is cached or connected yet.
    await page.GotoAsync(hostOrigin + "/");
    ICDPSession? profiler = null;
    // A JavaScript CPU profile of the first measured cold load (open it in the Performance panel of DevTools).
    if (run == 1 && options.Profile is not null)
    {
        profiler = await context.NewCDPSessionAsync(page);
        await profiler.SendAsync("Profiler.enable");
        await profiler.SendAsync("Profiler.setSamplingInterval", new() { ["interval"] = 100 });
        await profiler.SendAsync("Profiler.start");
    }
    var first = await MeasureAsync(page);
    if (profiler is not null)
    {
        var profile = await profiler.SendAsync("Profiler.stop");
        await File.WriteAllTextAsync(options.Profile!, profile!.Value.GetProperty("profile").GetRawText());
    }
    var again = await MeasureAsync(page);
    if (run <= 0)
    {
        continue;
    }
    cold.Add(first);
    warm.Add(again);
    Console.Error.WriteLine($"[widget-perf] run {run}: cold {first.RenderMs:0} ms / {first.BlockingMs:0} ms blocking, warm {again.RenderMs:0} ms / {again.BlockingMs:0} ms blocking");
    Console.Error.WriteLine("[widget-perf]   cold: " + string.Join(", ", first.Phases.OrderBy(p => p.Value).Select(p => $"{p.Key} {p.Value:0}")));
}

var report = new StringBuilder();
report.AppendLine($"Chromium {browser.Version} (headless, Debian build), {options.Runs} runs each after {WarmUpRuns} warm-up runs; " +
                  $"a {Comments}-comment thread ({100 - ReplyPercent}% top-level, {ReplyPercent}% replies) served as one page (Hearth:PageSize=200).");
report.AppendLine();
report.AppendLine("| measure | cache | median | p90 | target | met |");
report.AppendLine("| --- | --- | ---: | ---: | ---: | --- |");
Row("navigation start → 200 comments rendered", "cold", cold.Select(s => s.RenderMs), TargetRenderMs);
Row("navigation start → 200 comments rendered", "warm", warm.Select(s => s.RenderMs), TargetRenderMs);
Row("Total Blocking Time (long tasks > 50 ms)", "cold", cold.Select(s => s.BlockingMs), TargetBlockingMs);
Row("Total Blocking Time (long tasks > 50 ms)", "warm", warm.Select(s => s.BlockingMs), TargetBlockingMs);
Row("longest long task (0: none over 50 ms)", "cold", cold.Select(s => s.LongestTaskMs), null);
Row("longest long task (0: none over 50 ms)", "warm", warm.Select(s => s.LongestTaskMs), null);
report.AppendLine();
report.AppendLine("Where the time goes (medians, ms from navigation start; a file from the cache shows when the cache handed it over):");
report.AppendLine();
report.AppendLine("| moment | cold | warm |");
report.AppendLine("| --- | ---: | ---: |");
foreach (var name in cold[0].Phases.Keys.Union(warm[0].Phases.Keys).OrderBy(n => Percentile(cold.Select(s => s.Phases.GetValueOrDefault(n)).Order().ToList(), 50)))
{
    string Median(List<Sample> samples) => samples.All(s => s.Phases.ContainsKey(name))
        ? Percentile(samples.Select(s => s.Phases[name]).Order().ToList(), 50).ToString("0.0", CultureInfo.InvariantCulture) : "";
    report.AppendLine($"| {name} | {Median(cold)} | {Median(warm)} |");
}
report.AppendLine($"| 200 comments rendered | {Percentile(cold.Select(s => s.RenderMs).Order().ToList(), 50):0.0} | {Percentile(warm.Select(s => s.RenderMs).Order().ToList(), 50):0.0} |");
report.AppendLine();
report.AppendLine("Transferred sizes, gzip level 9 of the bytes Hearth serves (budgets: loader ≤ 2.5 KB, widget JS + CSS ≤ 12.5 KB):");
report.AppendLine();
report.AppendLine("| file | bytes | gzip -9 |");
report.AppendLine("| --- | ---: | ---: |");
foreach (var (name, raw, gzipped) in sizes)
{
    report.AppendLine($"| {name} | {raw:N0} | {gzipped:N0} |");
}
report.AppendLine($"| widget JS + CSS | {sizes[1].Raw + sizes[2].Raw:N0} | {sizes[1].Gzipped + sizes[2].Gzipped:N0} |");

await app.StopAsync();
if (options.Out is { } output)
{
    await File.WriteAllTextAsync(output, report.ToString());
}
Console.Write(report);
return 0;

void Row(string measure, string cache, IEnumerable<double> values, double? target)
{
    var sorted = values.OrderBy(v => v).ToList();
    var median = Percentile(sorted, 50);
    var p90 = Percentile(sorted, 90);
    var met = target is null ? "" : p90 < target ? "yes" : median < target ? "median only" : "no";
    report.AppendLine($"| {measure} | {cache} | {median:0.0} ms | {p90:0.0} ms | {(target is null ? "" : $"< {target:0} ms")} | {met} |");
}

static double Percentile(List<double> sorted, int p) =>
    sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)]; // nearest rank

async Task<Sample> MeasureAsync(IPage page)
{
    await page.GotoAsync(pageUrl, new() { WaitUntil = WaitUntilState.Commit });
    await page.WaitForFunctionAsync("() => window.__hearthPerf && window.__hearthPerf.rendered !== null", null, new() { Timeout = 30_000, PollingInterval = 50 });
    // Long-task entries are delivered after the task ends: let two frames pass so the last ones are in.
    await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50))))");
    var perf = await page.EvaluateAsync<JsonElement>("() => window.__hearthPerf");
    var rendered = perf.GetProperty("rendered").GetDouble();
    var tasks = perf.GetProperty("longTasks").EnumerateArray()
        .Select(t => (Start: t.GetProperty("start").GetDouble(), Duration: t.GetProperty("duration").GetDouble()))
        .ToList();
    // Total Blocking Time counts what is over 50 ms in each long task, here up to the moment the thread is shown.
    var blocking = tasks.Where(t => t.Start < rendered).Sum(t => Math.Max(0, t.Duration - 50));
    var longest = tasks.Count == 0 ? 0 : tasks.Max(t => t.Duration);
    var marks = await page.EvaluateAsync<Dictionary<string, double>>(PhasesScript);
    return new Sample(rendered, blocking, longest, marks);
}

async Task SeedAsync()
{
    var random = new Random(20_261_125);
    var ids = new List<long>();
    var words = "the river path lock mill bridge towpath heron willow flour weir barge meadow ferry".Split(' ');
    for (var i = 0; i < Comments; i++)
    {
        long? parent = ids.Count > 0 && random.Next(100) < ReplyPercent ? ids[random.Next(ids.Count)] : null;
        var body = string.Join(' ', Enumerable.Range(0, 12 + random.Next(40)).Select(_ => words[random.Next(words.Length)])) + $". (comment {i + 1})";
        var response = await http.PostAsJsonAsync($"/api/v1/sites/{options.Site}/comments",
            new { url = pageUrl, title = "A long conversation", parentId = parent, body, author = new { name = $"Reader {i % 37 + 1}" } });
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Seeding failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
    }
    var thread = await http.GetFromJsonAsync<JsonElement>($"/api/v1/sites/{options.Site}/thread?url={Uri.EscapeDataString(pageUrl)}");
    var shown = thread.GetProperty("comments").GetArrayLength();
    if (shown != Comments)
    {
        throw new InvalidOperationException($"The first thread page holds {shown} comments, not {Comments}: start Hearth with Hearth:PageSize=200.");
    }
}

async Task<List<(string Name, long Raw, long Gzipped)>> WidgetSizesAsync()
{
    var loader = await http.GetByteArrayAsync("/embed.js");
    var text = Encoding.UTF8.GetString(loader);
    var js = Regex.Match(text, @"""(/widget/[^""]+\.js)""").Groups[1].Value;
    var css = Regex.Match(text, @"""(/widget/[^""]+\.css)""").Groups[1].Value;
    var list = new List<(string, long, long)> { ("/embed.js (loader)", loader.Length, Gzip(loader)) };
    foreach (var path in new[] { js, css })
    {
        var bytes = await http.GetByteArrayAsync(path);
        list.Add((path, bytes.Length, Gzip(bytes)));
    }
    return list;
}

static long Gzip(byte[] bytes)
{
    using var output = new MemoryStream();
    using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
    {
        gzip.Write(bytes);
    }
    return output.Length;
}

sealed record Sample(double RenderMs, double BlockingMs, double LongestTaskMs, Dictionary<string, double> Phases);

sealed record Options(string Hearth, int HostPort, string Site, int Runs, string? Out, string Chromium, string? Profile)
{
    public static Options Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return new Options(
            Value("--hearth")?.TrimEnd('/') ?? throw new ArgumentException("--hearth URL is required"),
            int.Parse(Value("--host-port") ?? throw new ArgumentException("--host-port N is required"), CultureInfo.InvariantCulture),
            Value("--site") ?? "bench",
            int.Parse(Value("--runs") ?? "10", CultureInfo.InvariantCulture),
            Value("--out"),
            Value("--chromium") ?? "/usr/bin/chromium",
            Value("--profile"));
    }
}
