using Hearth.Mail;
using Hearth.Storage;
using Hearth.Tests.ManyNodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Nodes;

/// <summary>
/// Mail queued on a node that does not hold the mail lease is sent at once by the node that does, woken through Redis,
/// not at that node's next renewal; and once. Neither node's clock moves here, so no renewal ever comes: only the
/// wake-up can send it.
/// </summary>
public sealed class MailWakesTheLeaseHolderTests
{
    [Fact]
    public async Task MailQueuedOnAnotherNodeIsSentWithoutWaitingForARenewalAndOnce()
    {
        await using var redis = await RedisServer.StartAsync();
        var data = Node.NewDataDirectory();
        var (clockA, clockB) = Node.Clocks();
        var settings = new Dictionary<string, string> { ["Hearth:Redis"] = redis.Address };
        await using var holder = new Node(data, clockA, settings) { KeepsData = true };
        _ = holder.Server;
        await Node.UntilAsync(async () => (await holder.LeaseAsync("mail"))?.Holder == holder.Holder, "node A holding the mail lease");
        await holder.Services.GetRequiredService<MailQueue>().Listening.WaitAsync(TimeSpan.FromSeconds(20));
        await using var other = new Node(data, clockB, settings);
        _ = other.Server;
        // The holder's first rounds are over (nothing was due); it now waits for its next renewal or a wake-up.
        var outbox = Path.Combine(data, OutboxMailSender.FolderName);
        int Sent() => Directory.Exists(outbox) ? Directory.GetFiles(outbox, "*.eml").Length : 0;
        Assert.Equal(0, Sent());

        await using (var scope = other.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
            await scope.ServiceProvider.GetRequiredService<MailQueue>()
                .EnqueueAsync(db, new OutgoingMail("someone@mail.example", "Queued on B", "Hello from node B."), CancellationToken.None);
        }

        await Node.UntilAsync(async () => Sent() == 1, "the mail sent by node A without a renewal");
        await Node.UntilAsync(async () => !await holder.InDatabaseAsync(db => db.Set<QueuedMail>().AnyAsync()), "the row gone once sent");
        // More rounds, woken or timed, send nothing again.
        holder.Services.GetRequiredService<MailQueue>().Wake();
        var renewed = (await holder.LeaseAsync("mail"))!.ExpiresAt;
        await Node.UntilAsync(async () => (await holder.LeaseAsync("mail"))!.ExpiresAt > renewed, "another round on node A", () => clockA.Advance(Leases.Renewal));
        Assert.Equal(1, Sent());
        Assert.Equal(holder.Holder, (await holder.LeaseAsync("mail"))!.Holder);
    }
}
