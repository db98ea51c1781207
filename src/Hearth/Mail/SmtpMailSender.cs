using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace Hearth.Mail;

/// <summary>
/// Sends over SMTP, one connection for as long as messages keep coming: connecting, greeting and saying goodbye for
/// every message cost most of a message's time, and a digest hour or a busy thread sends thousands in a row. The
/// connection is closed once it has been idle for <see cref="IdleFor"/>; one the server dropped meanwhile is opened
/// again and the message sent on the new one.
/// </summary>
public sealed class SmtpMailSender(IOptions<MailOptions> options, TimeProvider clock, ILogger<SmtpMailSender> log) : IMailSender, IAsyncDisposable
{
    /// <summary>Well below the five minutes after which RFC 5321 lets a server drop a quiet client.</summary>
    public static readonly TimeSpan IdleFor = TimeSpan.FromSeconds(30);

    readonly SemaphoreSlim _gate = new(1, 1);
    SmtpClient? _client;
    ITimer? _idle;
    bool _disposed;

    public async Task SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        var settings = options.Value;
        var message = mail.ToMime(settings, clock.GetUtcNow());
        await _gate.WaitAsync(ct);
        try
        {
            // Shutting down: refused before anything goes out, so the message stays queued for the next node or start.
            ObjectDisposedException.ThrowIf(_disposed, this);
            _idle?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            var reused = _client is { IsConnected: true };
            var client = reused ? _client! : await ConnectAsync(settings, ct);
            try
            {
                await client.SendAsync(message, ct);
            }
            catch (Exception e) when (reused && (e is IOException or SmtpProtocolException or ServiceNotConnectedException
                                                  || e is SmtpCommandException { StatusCode: SmtpStatusCode.ServiceNotAvailable }
                                                  || (e is SmtpCommandException && !client.IsConnected)))
            {
                // The server let the quiet connection go (closing it, or saying 421 first): the same message once more, on a new one.
                log.LogDebug(e, "The SMTP connection was closed by the server; connecting again");
                client = await ConnectAsync(settings, ct);
                await client.SendAsync(message, ct);
            }
            log.LogInformation("Sent \"{Subject}\"", mail.Subject);
        }
        catch when (_client is { IsConnected: false })
        {
            await DropAsync();
            throw;
        }
        finally
        {
            if (!_disposed)
            {
                _idle ??= clock.CreateTimer(_ => _ = CloseIdleAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _idle.Change(IdleFor, Timeout.InfiniteTimeSpan);
            }
            _gate.Release();
        }
    }

    async Task<SmtpClient> ConnectAsync(MailOptions settings, CancellationToken ct)
    {
        await DropAsync();
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
            await client.ConnectAsync(settings.Host!, settings.Port, security, ct);
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
        return _client = client;
    }

    async Task CloseIdleAsync()
    {
        if (!await _gate.WaitAsync(0))
        {
            // Busy sending: not idle after all.
            return;
        }
        try
        {
            await QuitAsync();
        }
        catch (Exception e)
        {
            // Run by a timer, where nobody would see it: the connection is dropped, and the next message opens one.
            log.LogDebug(e, "Closing the quiet SMTP connection failed");
            await DropAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Says goodbye, as a polite client does; a server that is gone already needs none.</summary>
    async Task QuitAsync()
    {
        if (_client is { IsConnected: true } client)
        {
            try
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await client.DisconnectAsync(quit: true, quick.Token);
            }
            catch (Exception e) when (e is IOException or SmtpProtocolException or OperationCanceledException or ServiceNotConnectedException)
            {
                log.LogDebug(e, "Closing the SMTP connection failed");
            }
        }
        await DropAsync();
    }

    Task DropAsync()
    {
        _client?.Dispose();
        _client = null;
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _disposed = true;
            _idle?.Dispose();
            await QuitAsync();
        }
        finally
        {
            _gate.Release();
        }
    }
}
