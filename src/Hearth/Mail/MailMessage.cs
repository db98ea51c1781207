using MimeKit;

namespace Hearth.Mail;

/// <summary>One plain-text e-mail to one person.</summary>
public sealed record OutgoingMail(string To, string Subject, string Text)
{
    /// <summary>The message as it goes out, or into the outbox: the same bytes either way.</summary>
    public MimeMessage ToMime(MailOptions options, DateTimeOffset date)
    {
        var message = new MimeMessage { Subject = Subject, Date = date };
        message.From.Add(MailboxAddress.Parse(options.From));
        message.To.Add(MailboxAddress.Parse(To));
        message.Body = new TextPart("plain") { Text = Text };
        return message;
    }
}

/// <summary>Sends e-mail: over SMTP when a server is configured, otherwise into the outbox folder and the log so a new instance still works.</summary>
public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken ct);
}
