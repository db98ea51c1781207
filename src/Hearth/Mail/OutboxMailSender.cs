using Hearth.Storage;
using Microsoft.Extensions.Options;

namespace Hearth.Mail;

/// <summary>
/// For instances without SMTP: each message is written as an .eml file (which any mail program opens) to outbox/ in
/// the data folder, and told in the log with its text, so the link in it stands on a line of its own to copy.
/// </summary>
public sealed class OutboxMailSender(IOptions<MailOptions> mail, IOptions<HearthOptions> hearth, TimeProvider clock, ILogger<OutboxMailSender> log)
    : IMailSender
{
    /// <summary>The newest messages kept: sign-ups from anywhere must not fill the disk of a forgotten test instance.</summary>
    public const int Kept = 1000;

    public const string FolderName = "outbox";

    public string Folder => Path.Combine(Path.GetFullPath(hearth.Value.DataDirectory), FolderName);

    public async Task SendAsync(OutgoingMail message, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        PrivateFolder.Ensure(Folder);
        // Names sort by time, so the oldest are the first in order; the random part keeps two in one second apart.
        var path = Path.Combine(Folder, $"{now:yyyyMMdd-HHmmss-fff}-{Guid.NewGuid().ToString("N")[..8]}.eml");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        // Written under another name and then renamed, so whoever watches the folder never opens half a message.
        var writing = path + ".part";
        await using (var file = new FileStream(writing, options))
        {
            await message.ToMime(mail.Value, now).WriteToAsync(file, ct);
        }
        File.Move(writing, path);
        log.LogWarning("No mail server is configured (Hearth:Mail:Host), so this e-mail was not sent; it is in {Path}\nTo: {To}\nSubject: {Subject}\n\n{Text}",
            path, message.To, message.Subject, message.Text);
        Prune();
    }

    void Prune()
    {
        var files = Directory.GetFiles(Folder, "*.eml");
        if (files.Length <= Kept)
        {
            return;
        }
        Array.Sort(files, StringComparer.Ordinal);
        foreach (var old in files.AsSpan(0, files.Length - Kept))
        {
            try
            {
                File.Delete(old);
            }
            catch (IOException)
            {
                // Another sender removed it first.
            }
        }
    }
}
