using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace Hearth.Mail;

public sealed class SmtpMailSender(IOptions<MailOptions> options, TimeProvider clock, ILogger<SmtpMailSender> log) : IMailSender
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        var settings = options.Value;
        var message = mail.ToMime(settings, clock.GetUtcNow());

        using var client = new SmtpClient();
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
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
        log.LogInformation("Sent \"{Subject}\"", mail.Subject);
    }
}
