using System.Diagnostics;
using Spectre.Console;

namespace Hearth.Portability;

/// <summary>
/// An import's progress on stderr: a bar with counts and the time left when a person watches a terminal, plain lines
/// (at most one every few seconds) when stderr goes to a file or a pipe. stdout stays for the summary.
/// </summary>
static class ImportProgressView
{
    public static Task<ImportSummary> RunAsync(Func<IProgress<ImportProgress>, Task<ImportSummary>> import) =>
        Console.IsErrorRedirected ? PlainAsync(import) : BarAsync(import);

    static async Task<ImportSummary> BarAsync(Func<IProgress<ImportProgress>, Task<ImportSummary>> import)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        ImportSummary? summary = null;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                summary = await import(new Reporter(p =>
                {
                    if (!tasks.TryGetValue(p.Phase, out var task))
                    {
                        foreach (var earlier in tasks.Values)
                        {
                            earlier.Value = earlier.MaxValue;
                        }
                        tasks[p.Phase] = task = context.AddTask(p.Phase, maxValue: Math.Max(1, p.Total));
                        task.IsIndeterminate = p.Total == 0;
                    }
                    task.Description = p.Total > 0 && p.Phase == "writing" ? $"writing {p.Done:N0}/{p.Total:N0} comments" : p.Phase;
                    if (p.Total > 0)
                    {
                        task.MaxValue = p.Total;
                        task.Value = Math.Min(p.Done, p.Total);
                    }
                }));
                foreach (var task in tasks.Values)
                {
                    task.Value = task.MaxValue;
                }
            });
        return summary!;
    }

    static Task<ImportSummary> PlainAsync(Func<IProgress<ImportProgress>, Task<ImportSummary>> import)
    {
        var clock = Stopwatch.StartNew();
        var last = TimeSpan.MinValue;
        var phase = "";
        return import(new Reporter(p =>
        {
            if (p.Phase == phase && clock.Elapsed - last < TimeSpan.FromSeconds(5))
            {
                return;
            }
            (phase, last) = (p.Phase, clock.Elapsed);
            var share = p.Total > 0 ? $" {100.0 * p.Done / p.Total:0}%" : "";
            var count = p.Phase == "writing" ? $" {p.Done}/{p.Total} comments" : "";
            Console.Error.WriteLine($"hearth import: {p.Phase}{share}{count} ({clock.Elapsed:hh\\:mm\\:ss})");
        }));
    }

    /// <summary>Reports at once, on the importing thread (Progress&lt;T&gt; would post them to the thread pool, out of order).</summary>
    sealed class Reporter(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
