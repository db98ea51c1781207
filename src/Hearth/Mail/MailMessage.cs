namespace Hearth.Mail;

/// <summary>One plain-text e-mail to one person.</summary>
public sealed record OutgoingMail(string To, string Subject, string Text);

/// <summary>Sends e-mail: over SMTP when a server is configured, otherwise into the log so a new instance still works.</summary>
public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken ct);
}
