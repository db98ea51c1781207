using MimeKit;

namespace Hearth.Mail;

/// <summary>
/// One e-mail to one person: plain text, and an HTML part when <see cref="Html"/> is given. With
/// <see cref="Unsubscribe"/> (an https address that unsubscribes with one POST) it carries the List-Unsubscribe and
/// List-Unsubscribe-Post headers of RFC 8058, so mail programs offer their own unsubscribe button.
/// </summary>
public sealed record OutgoingMail(string To, string Subject, string Text, string? Html = null, string? Unsubscribe = null)
{
    /// <summary>The message as it goes out, or into the outbox: the same bytes either way.</summary>
    public MimeMessage ToMime(MailOptions options, DateTimeOffset date)
    {
        var message = new MimeMessage { Subject = Subject, Date = date };
        message.From.Add(MailboxAddress.Parse(options.From));
        message.To.Add(MailboxAddress.Parse(To));
        if (Html is null)
        {
            message.Body = new TextPart("plain") { Text = Text };
        }
        else
        {
            message.Body = new BodyBuilder { TextBody = Text, HtmlBody = Html }.ToMessageBody();
        }
        if (Unsubscribe is not null)
        {
            message.Headers.Add("List-Unsubscribe", $"<{Unsubscribe}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        return message;
    }
}

/// <summary>Sends e-mail: over SMTP when a server is configured, otherwise into the outbox folder and the log so a new instance still works.</summary>
public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken ct);
}
