using System.Globalization;
using Hearth.Mail;
using Hearth.Storage;
using Hearth.Tests.Accounts;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Nodes;

/// <summary>E-mail is queued in the database by the node that handled the request and sent by the node holding the mail lease.</summary>
public sealed class MailQueueTests : IDisposable
{
    readonly MailCatcher _mail = new(refuseFirst: 1);

    Dictionary<string, string> MailSettings => new()
    {
        ["Hearth:Mail:Host"] = "127.0.0.1",
        ["Hearth:Mail:Port"] = _mail.Port.ToString(CultureInfo.InvariantCulture),
        ["Hearth:Mail:Security"] = "None",
        ["Hearth:Mail:PublicUrl"] = "http://localhost",
    };

    [Fact]
    public async Task MailQueuedOnOneNodeIsSentByTheOtherAndARefusalIsTriedAgainLaterButNeverRepeatedAfterSuccess()
    {
        var data = Node.NewDataDirectory();
        var (clockA, clockB) = Node.Clocks();
        // B starts first and holds the mail lease; A only queues.
        await using var b = new Node(data, clockB, MailSettings) { KeepsData = true };
        _ = b.Server;
        await Node.UntilAsync(async () => (await b.LeaseAsync("mail"))?.Holder == b.Holder, "node B holding the mail lease");
        await using var a = new Node(data, clockA, MailSettings);
        var browser = new Browser(a.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false }));
        var email = $"person-{Guid.NewGuid():N}@mail.example";

        await browser.SignUpAsync(email, "Queued Person", "a long enough password");

        var queued = await a.InDatabaseAsync(db => db.Set<QueuedMail>().AsNoTracking().SingleAsync(m => m.To == email));
        Assert.Contains("Confirm", queued.Subject);
        Assert.Equal(0, queued.Attempts);
        // B looks at each renewal of its lease: the server refuses the first try, and B tries again a minute later.
        await Node.UntilAsync(async () => _mail.Refused == 1, "the first try refused", () => clockB.Advance(TimeSpan.FromSeconds(1)));
        await Node.UntilAsync(async () => (await a.InDatabaseAsync(db => db.Set<QueuedMail>().AsNoTracking().SingleAsync(m => m.To == email))).Attempts == 1,
            "the refusal recorded");
        var refused = await a.InDatabaseAsync(db => db.Set<QueuedMail>().AsNoTracking().SingleAsync(m => m.To == email));
        // Not tried again at the next round but a minute after the refusal.
        Assert.True(refused.NextAttemptAt > clockB.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(30), $"next try at {refused.NextAttemptAt:O}, now {clockB.GetUtcNow():O}");
        Assert.NotNull(refused.LastError);
        Assert.Empty(_mail.To(email));

        await Node.UntilAsync(async () => _mail.To(email).Count == 1, "the second try accepted", () => clockB.Advance(TimeSpan.FromSeconds(5)));
        await Node.UntilAsync(async () => !await a.InDatabaseAsync(db => db.Set<QueuedMail>().AnyAsync(m => m.To == email)), "the row gone once accepted");

        // Rounds go on (the lease renews) and the accepted message is not sent again.
        var renewed = (await b.LeaseAsync("mail"))!.ExpiresAt;
        await Node.UntilAsync(async () => (await b.LeaseAsync("mail"))!.ExpiresAt > renewed, "more rounds on node B", () => clockB.Advance(Leases.Renewal));
        Assert.Single(_mail.To(email));
        Assert.Equal(1, _mail.Refused);
        Assert.Equal(b.Holder, (await b.LeaseAsync("mail"))!.Holder);
    }

    public void Dispose() => _mail.Dispose();
}

/// <summary>A message the mail server never takes is tried again, and given up once its links could no longer work.</summary>
public sealed class MailGivenUpTests
{
    [Fact]
    public async Task AMessageNotSentWithinADayIsGivenUpWhileAYoungerOneWaitsForItsNextTry()
    {
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nothing listens there now: every try fails to connect
        var (clock, _) = Node.Clocks();
        await using var node = new Node(Node.NewDataDirectory(), clock, new Dictionary<string, string>
        {
            ["Hearth:Mail:Host"] = "127.0.0.1",
            ["Hearth:Mail:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Hearth:Mail:Security"] = "None",
        });
        _ = node.Server;
        await Node.UntilAsync(async () => (await node.LeaseAsync("mail"))?.Holder == node.Holder, "the mail lease taken");
        var now = clock.GetUtcNow().UtcDateTime;
        await node.InDatabaseAsync(db =>
        {
            db.Set<QueuedMail>().Add(new QueuedMail { To = "old@mail.example", Subject = "Old", Text = "t", CreatedAt = now - MailDelivery.GiveUpAfter, NextAttemptAt = now });
            db.Set<QueuedMail>().Add(new QueuedMail { To = "young@mail.example", Subject = "Young", Text = "t", CreatedAt = now, NextAttemptAt = now });
            return db.SaveChangesAsync();
        });

        await Node.UntilAsync(async () => !await node.InDatabaseAsync(db => db.Set<QueuedMail>().AnyAsync(m => m.To == "old@mail.example")),
            "the old message given up", () => clock.Advance(TimeSpan.FromSeconds(1)));
        var young = await node.InDatabaseAsync(db => db.Set<QueuedMail>().AsNoTracking().SingleAsync(m => m.To == "young@mail.example"));
        Assert.True(young.Attempts >= 1, "the younger message was not tried");
        Assert.NotNull(young.LastError);
    }
}
