using Hearth.Mail;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Hearth.Tests.Mail;

/// <summary>The outbox of an instance without SMTP: one .eml file per message, which a mail program opens, and no more than it keeps.</summary>
public sealed class OutboxTests : IDisposable
{
    readonly string _data = Path.Combine(Path.GetTempPath(), "hearth-tests", "outbox-" + Guid.NewGuid().ToString("N"));
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero));

    OutboxMailSender Sender() => new(
        Options.Create(new MailOptions { From = "Hearth <hearth@comments.example>" }),
        Options.Create(new HearthOptions { DataDirectory = _data }),
        _clock,
        NullLogger<OutboxMailSender>.Instance);

    [Fact]
    public async Task EachMessageIsAnEmlFileWithItsSenderRecipientSubjectDateAndText()
    {
        const string text = "Open this link:\n\nhttps://comments.example/account/confirm?user=7&code=a%2Bb\n";
        await Sender().SendAsync(new OutgoingMail("ana@mail.example", "Confirm your e-mail address for Hearth", text), CancellationToken.None);

        var file = Assert.Single(Directory.GetFiles(Path.Combine(_data, "outbox")));
        Assert.EndsWith(".eml", file);
        var message = await MimeMessage.LoadAsync(file);
        Assert.Equal("hearth@comments.example", message.From.Mailboxes.Single().Address);
        Assert.Equal("ana@mail.example", message.To.Mailboxes.Single().Address);
        Assert.Equal("Confirm your e-mail address for Hearth", message.Subject);
        Assert.Equal(_clock.GetUtcNow(), message.Date);
        Assert.Equal(text, message.TextBody!.Replace("\r\n", "\n"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public async Task OnlyTheNewestThousandMessagesAreKept()
    {
        var sender = Sender();
        for (var i = 0; i < OutboxMailSender.Kept + 2; i++)
        {
            await sender.SendAsync(new OutgoingMail($"person{i}@mail.example", "Choose a new Hearth password", $"Message {i}"), CancellationToken.None);
            _clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        var files = Directory.GetFiles(Path.Combine(_data, "outbox"));
        Assert.Equal(1000, files.Length);
        var kept = files.Select(f => MimeMessage.Load(f).To.Mailboxes.Single().Address).ToHashSet();
        Assert.DoesNotContain("person0@mail.example", kept);
        Assert.DoesNotContain("person1@mail.example", kept);
        Assert.Contains("person2@mail.example", kept);
        Assert.Contains($"person{OutboxMailSender.Kept + 1}@mail.example", kept);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
