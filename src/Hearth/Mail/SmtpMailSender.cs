using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Hearth.Mail;

public sealed class SmtpMailSender(IOptions<MailOptions> options, ILogger<SmtpMailSender> log) : IMailSender
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        var settings = options.Value;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.Body = new TextPart("plain") { Text = mail.Text };

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

/// <summary>For instances without SMTP: the message (with its link) goes to the log, where the operator finds it.</summary>
public sealed class LogMailSender(ILogger<LogMailSender> log) : IMailSender
{
    public Task SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        log.LogWarning("No SMTP server is configured (Hearth:Mail:Host); this e-mail was not sent.\nTo: {To}\nSubject: {Subject}\n\n{Text}",
            mail.To, mail.Subject, mail.Text);
        return Task.CompletedTask;
    }
}
