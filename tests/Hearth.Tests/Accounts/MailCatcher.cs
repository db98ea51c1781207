using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Hearth.Tests.Accounts;

/// <summary>A real SMTP server on a free loopback port that keeps every message it is given.</summary>
public sealed class MailCatcher : IDisposable
{
    readonly CancellationTokenSource _stop = new();
    readonly Store _store = new();

    public int Port { get; }

    /// <param name="refuseFirst">How many messages the server refuses (451, try later) before it accepts any.</param>
    /// <param name="dropIdleAfter">How long the server keeps a quiet client's connection before it drops it (by default, long).</param>
    public MailCatcher(int refuseFirst = 0, TimeSpan? dropIdleAfter = null)
    {
        _store.RefuseFirst = refuseFirst;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var builder = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)));
        if (dropIdleAfter is { } idle)
        {
            builder = builder.CommandWaitTimeout(idle);
        }
        var options = builder.Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(_store);
        services.Add(new PromptSmtpListenerFactory());
        var server = new SmtpServer.SmtpServer(options, services);
        server.SessionCreated += (_, _) => Interlocked.Increment(ref _sessions);
        server.SessionCompleted += (_, _) => Interlocked.Increment(ref _ended);
        _ = server.StartAsync(_stop.Token);
    }

    int _sessions;
    int _ended;

    /// <summary>Connections clients opened, and those that ended (the client said goodbye, or went).</summary>
    public int Sessions => Volatile.Read(ref _sessions);
    public int EndedSessions => Volatile.Read(ref _ended);

    public int Received => _store.Messages.Count;

    /// <summary>Messages the server refused.</summary>
    public int Refused => _store.Refused;

    public IReadOnlyList<MimeMessage> To(string address) =>
        [.. _store.Messages.Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>The next message to this address whose subject contains the words, waiting for it a few seconds.</summary>
    public async Task<MimeMessage> WaitForAsync(string address, string subject, int alreadySeen = 0)
    {
        for (var i = 0; i < 100; i++)
        {
            var found = To(address).Where(m => (m.Subject ?? "").Contains(subject, StringComparison.OrdinalIgnoreCase)).Skip(alreadySeen).FirstOrDefault();
            if (found is not null)
            {
                return found;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"No e-mail \"{subject}\" reached {address}. Received: {string.Join(", ", _store.Messages.Select(m => m.To + ": " + m.Subject))}");
    }

    /// <summary>The first link in the message that starts with this address.</summary>
    public static string Link(MimeMessage message, string startsWith)
    {
        var text = message.TextBody ?? "";
        var start = text.IndexOf(startsWith, StringComparison.Ordinal);
        Assert.True(start >= 0, $"No link to {startsWith} in:\n{text}");
        var end = text.IndexOfAny([' ', '\n', '\r'], start);
        return text[start..(end < 0 ? text.Length : end)];
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    sealed class Store : MessageStore
    {
        public ConcurrentQueue<MimeMessage> Messages { get; } = new();
        public int RefuseFirst;
        public int Refused;

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (Interlocked.Decrement(ref RefuseFirst) >= 0)
            {
                Interlocked.Increment(ref Refused);
                return new SmtpResponse(SmtpReplyCode.Aborted, "try again later");
            }
            using var stream = new MemoryStream(buffer.ToArray());
            Messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
