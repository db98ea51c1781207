using Hearth.Mail;
using Hearth.Tests.Accounts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.Tests.Mail;

/// <summary>
/// Messages in a row share one SMTP connection (a digest hour sends thousands), which is closed once quiet; a server
/// that drops it meanwhile costs a new connection, not a message.
/// </summary>
public sealed class SmtpConnectionTests
{
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));

    SmtpMailSender Sender(int port, int connections = 8) => new(
        Options.Create(new MailOptions { Host = "127.0.0.1", Port = port, Security = "none", From = "Hearth <hearth@comments.example>", Connections = connections }),
        _clock, NullLogger<SmtpMailSender>.Instance);

    static OutgoingMail Mail(int i) => new($"reader{i}@mail.example", $"A reply to you, number {i}", $"Someone answered you ({i}).");

    static async Task UntilAsync(Func<bool> done, string what)
    {
        for (var i = 0; i < 400 && !done(); i++)
        {
            await Task.Delay(25);
        }
        Assert.True(done(), $"Still waiting for {what}.");
    }

    /// <summary>Once the server listens (it starts in the background); the probe's own connection is over when this returns.</summary>
    static async Task ListeningAsync(MailCatcher catcher)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, catcher.Port);
                break;
            }
            catch (System.Net.Sockets.SocketException) when (i < 200)
            {
                await Task.Delay(25);
            }
        }
        await UntilAsync(() => catcher.Sessions > 0 && catcher.EndedSessions == catcher.Sessions, "the probe's connection to end");
    }

    [Fact]
    public async Task MessagesInARowShareOneConnectionWhichClosesOnceQuiet()
    {
        using var catcher = new MailCatcher();
        await ListeningAsync(catcher);
        var (opened, ended) = (catcher.Sessions, catcher.EndedSessions);
        await using var sender = Sender(catcher.Port);
        for (var i = 0; i < 25; i++)
        {
            await sender.SendAsync(Mail(i), CancellationToken.None);
        }
        Assert.Equal(25, catcher.Received);
        Assert.Equal(opened + 1, catcher.Sessions);
        Assert.Equal(ended, catcher.EndedSessions);

        _clock.Advance(SmtpMailSender.IdleFor);
        await UntilAsync(() => catcher.EndedSessions == ended + 1, "the quiet connection to be closed");

        // The next message opens a new one.
        await sender.SendAsync(Mail(25), CancellationToken.None);
        Assert.Equal(26, catcher.Received);
        Assert.Equal(opened + 2, catcher.Sessions);
    }

    [Fact]
    public async Task AConnectionTheServerDroppedCostsANewConnectionNotAMessage()
    {
        using var catcher = new MailCatcher(dropIdleAfter: TimeSpan.FromMilliseconds(300));
        await ListeningAsync(catcher);
        var ended = catcher.EndedSessions;
        await using var sender = Sender(catcher.Port);
        await sender.SendAsync(Mail(1), CancellationToken.None);
        // The server lets the quiet connection go; the sender does not know yet.
        await UntilAsync(() => catcher.EndedSessions == ended + 1, "the server to drop the quiet connection");

        await sender.SendAsync(Mail(2), CancellationToken.None);
        Assert.Equal(2, catcher.Received);
        Assert.Single(catcher.To("reader2@mail.example"));
    }

    [Fact]
    public async Task MessagesSentAtOnceUseAtMostTheConnectionsAllowed()
    {
        using var catcher = new MailCatcher();
        await ListeningAsync(catcher);
        var opened = catcher.Sessions;
        await using var sender = Sender(catcher.Port, connections: 3);
        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => sender.SendAsync(Mail(i), CancellationToken.None)));
        Assert.Equal(30, catcher.Received);
        Assert.Equal(30, Enumerable.Range(0, 30).Count(i => catcher.To($"reader{i}@mail.example").Count == 1));
        Assert.InRange(catcher.Sessions - opened, 1, 3);
    }
}
