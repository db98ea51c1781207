using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace Hearth.Mail;

/// <summary>
/// Sends over SMTP on up to <see cref="MailOptions.Connections"/> connections at once, each kept for as long as messages
/// keep coming: connecting, greeting and saying goodbye for every message cost most of a message's time, and a busy
/// thread or a digest hour sends thousands in a row, each waiting on the server's answers. A connection is closed once
/// it has been idle for <see cref="IdleFor"/>; one the server dropped meanwhile is opened again and the message sent on
/// the new one.
/// </summary>
public sealed class SmtpMailSender : IMailSender, IAsyncDisposable
{
    /// <summary>Well below the five minutes after which RFC 5321 lets a server drop a quiet client.</summary>
    public static readonly TimeSpan IdleFor = TimeSpan.FromSeconds(30);

    readonly IOptions<MailOptions> _options;
    readonly TimeProvider _clock;
    readonly ILogger<SmtpMailSender> _log;
    readonly SemaphoreSlim _slots;
    readonly object _gate = new();
    /// <summary>Open connections not sending right now, the most recently used on top.</summary>
    readonly Stack<(SmtpClient Client, DateTimeOffset Since)> _idle = new();
    readonly ITimer _closer;
    bool _disposed;

    public SmtpMailSender(IOptions<MailOptions> options, TimeProvider clock, ILogger<SmtpMailSender> log)
    {
        (_options, _clock, _log) = (options, clock, log);
        _slots = new SemaphoreSlim(Math.Max(1, options.Value.Connections));
        _closer = clock.CreateTimer(_ => CloseIdle(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public async Task SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        var settings = _options.Value;
        var message = mail.ToMime(settings, _clock.GetUtcNow());
        await _slots.WaitAsync(ct);
        SmtpClient? client = null;
        try
        {
            // Shutting down: refused before anything goes out, so the message stays queued for the next node or start.
            ObjectDisposedException.ThrowIf(_disposed, this);
            var open = TakeIdle();
            var reused = open is not null;
            client = open ?? await ConnectAsync(settings, ct);
            try
            {
                await client.SendAsync(message, ct);
            }
            catch (Exception e) when (reused && (e is IOException or SmtpProtocolException or ServiceNotConnectedException
                                                  || e is SmtpCommandException { StatusCode: SmtpStatusCode.ServiceNotAvailable }
                                                  || (e is SmtpCommandException && !client.IsConnected)))
            {
                // The server let the quiet connection go (closing it, or saying 421 first): the same message once more, on a new one.
                _log.LogDebug(e, "The SMTP connection was closed by the server; connecting again");
                client.Dispose();
                client = null;
                client = await ConnectAsync(settings, ct);
                await client.SendAsync(message, ct);
            }
            _log.LogInformation("Sent \"{Subject}\"", mail.Subject);
        }
        finally
        {
            if (client is not null)
            {
                Return(client);
            }
            _slots.Release();
        }
    }

    SmtpClient? TakeIdle()
    {
        lock (_gate)
        {
            while (_idle.TryPop(out var entry))
            {
                if (entry.Client.IsConnected)
                {
                    return entry.Client;
                }
                entry.Client.Dispose();
            }
            return null;
        }
    }

    /// <summary>Back among the idle ones, unless it is broken or the sender is shutting down.</summary>
    void Return(SmtpClient client)
    {
        lock (_gate)
        {
            if (!_disposed && client.IsConnected)
            {
                _idle.Push((client, _clock.GetUtcNow()));
                _closer.Change(IdleFor, Timeout.InfiniteTimeSpan);
                return;
            }
        }
        _ = QuitAsync(client);
    }

    static async Task<SmtpClient> ConnectAsync(MailOptions settings, CancellationToken ct)
    {
        var client = new SmtpClient();
        try
        {
            var security = settings.Security.ToLowerInvariant() switch
            {
                "none" => SecureSocketOptions.None,
                "tls" => SecureSocketOptions.SslOnConnect,
                "starttls" => SecureSocketOptions.StartTls,
                _ => SecureSocketOptions.StartTlsWhenAvailable,
            };
            await client.ConnectAsync(await OpenSocketAsync(settings, client.Timeout, ct), settings.Host!, settings.Port, security, ct);
            if (!string.IsNullOrEmpty(settings.UserName))
            {
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", ct);
            }
        }
        catch
        {
            client.Dispose();
            throw;
        }
        return client;
    }

    /// <summary>
    /// A connection with Nagle's algorithm off. MailKit writes a message's end and each pipelined command as small
    /// writes; with Nagle on, each waited for the server's delayed acknowledgement of the one before (about 40 ms on
    /// Linux), which made a message take 45-50 ms on a kept connection however fast the server answered.
    /// </summary>
    /// <remarks>Within the client's own time limit, which MailKit applied to the connection it used to open itself.</remarks>
    static async Task<Socket> OpenSocketAsync(MailOptions settings, int timeoutMs, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(timeoutMs);
            await socket.ConnectAsync(settings.Host!, settings.Port, limit.Token);
            return socket;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"The SMTP server {settings.Host}:{settings.Port} did not answer within {timeoutMs} ms.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Run by the timer: connections idle for <see cref="IdleFor"/> say goodbye; the others wait for the next turn.</summary>
    void CloseIdle()
    {
        var now = _clock.GetUtcNow();
        List<SmtpClient> quiet;
        lock (_gate)
        {
            var kept = _idle.Where(e => now - e.Since < IdleFor).Reverse().ToList();
            quiet = [.. _idle.Where(e => now - e.Since >= IdleFor).Select(e => e.Client)];
            _idle.Clear();
            foreach (var entry in kept)
            {
                _idle.Push(entry);
            }
            if (kept.Count > 0 && !_disposed)
            {
                _closer.Change(IdleFor - (now - kept.Min(e => e.Since)), Timeout.InfiniteTimeSpan);
            }
        }
        foreach (var client in quiet)
        {
            _ = QuitAsync(client);
        }
    }

    /// <summary>Says goodbye, as a polite client does; a server that is gone already needs none. Never throws: nobody waits on it.</summary>
    async Task QuitAsync(SmtpClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await client.DisconnectAsync(quit: true, quick.Token);
            }
        }
        catch (Exception e)
        {
            _log.LogDebug(e, "Closing an SMTP connection failed");
        }
        finally
        {
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<SmtpClient> open;
        lock (_gate)
        {
            _disposed = true;
            open = [.. _idle.Select(e => e.Client)];
            _idle.Clear();
        }
        await _closer.DisposeAsync();
        await Task.WhenAll(open.Select(QuitAsync));
    }
}
