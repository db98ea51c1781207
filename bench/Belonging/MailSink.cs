using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

/// <summary>
/// The mail server Hearth sends to: a real SMTP server (the one the tests catch mail with) on 127.0.0.1 that accepts
/// every message and keeps only when it arrived and for whom, so it costs as little as it can. Its connections answer
/// without Nagle's delay.
/// </summary>
sealed class MailSink : IDisposable
{
    readonly CancellationTokenSource _stop = new();
    readonly Store _store = new();

    public MailSink(int port)
    {
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(_store);
        services.Add(new Hearth.Tests.Accounts.PromptSmtpListenerFactory());
        _ = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    /// <summary>Accepted messages to addresses starting with the prefix, with when each was accepted (Stopwatch ticks).</summary>
    public List<long> To(string prefix) => [.. _store.Accepted.Where(a => a.To.StartsWith(prefix, StringComparison.Ordinal)).Select(a => a.At)];

    public int Count => _store.Accepted.Count;

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    sealed class Store : MessageStore
    {
        public ConcurrentQueue<(string To, long At)> Accepted { get; } = new();

        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            var at = Stopwatch.GetTimestamp();
            foreach (var to in transaction.To)
            {
                Accepted.Enqueue(($"{to.User}@{to.Host}", at));
            }
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
