namespace Hearth.Mail;

/// <summary>Outgoing e-mail (Hearth:Mail). Without a Host, messages are written to the outbox folder and the log instead of sent.</summary>
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

    /// <summary>
    /// SMTP connections used at once: each message waits on several answers from the server, so a few connections in
    /// parallel send several times as many messages a minute.
    /// </summary>
    public int Connections { get; set; } = 8;

    /// <summary>The public address of this instance, for links in e-mails (e.g. https://comments.example).</summary>
    public string? PublicUrl { get; set; }

    public bool HasServer => Host is { Length: > 0 };

    /// <summary>
    /// What the "check your inbox" pages add on an instance without SMTP. It names no path and is the same for every
    /// address, so it tells a visitor nothing about anyone's account.
    /// </summary>
    public const string NoServerNote =
        "This Hearth has no mail server configured yet, so e-mails are not sent: each one is written, as an .eml file, to the " +
        "outbox folder in its data folder, and to its log. Whoever runs this Hearth finds the link there.";
}
