namespace Hearth.Mail;

/// <summary>Outgoing e-mail (Hearth:Mail). Without a Host, messages are written to the log instead of sent.</summary>
public sealed class MailOptions
{
    public const string Section = "Hearth:Mail";

    public string? Host { get; set; }
    public int Port { get; set; } = 587;

    /// <summary>StartTls when the server offers it (the default), Tls for port 465, None for a local relay.</summary>
    public string Security { get; set; } = "Auto";
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "Hearth <hearth@localhost>";

    /// <summary>The public address of this instance, for links in e-mails (e.g. https://comments.example).</summary>
    public string? PublicUrl { get; set; }
}
