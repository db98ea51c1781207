using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Hearth.Tests;

/// <summary>What a server wrote to its log, as an operator reading it would see the lines.</summary>
public sealed partial class LogLines : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    [GeneratedRegex("setup code (?<code>[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})")]
    private static partial Regex SetupCodeLine();

    /// <summary>The setup codes the server printed, oldest first.</summary>
    public IReadOnlyList<string> SetupCodes =>
        [.. Lines.Select(l => SetupCodeLine().Match(l)).Where(m => m.Success).Select(m => m.Groups["code"].Value)];

    public ILogger CreateLogger(string categoryName) => new Logger(Lines);

    public void Dispose()
    {
    }

    sealed class Logger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));
    }
}
