using Hearth.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Nodes;

/// <summary>Background work runs on one node of an instance at a time, and moves to another when its node stops renewing.</summary>
public sealed class LeasesTests
{
    [Fact]
    public async Task OnlyOneNodeRunsTheWorkAndAnotherTakesOverOnceTheHoldersLeaseHasExpired()
    {
        var data = Node.NewDataDirectory();
        var (clockA, clockB) = Node.Clocks();
        await using var a = new CountingNode(data, clockA) { KeepsData = true };
        await Node.UntilAsync(async () => a.Work.Waits >= 1, "node A's first round");
        await using var b = new CountingNode(data, clockB);
        await Node.UntilAsync(async () => b.Work.Waits >= 1, "node B's first round");
        Assert.Equal(1, a.Work.Rounds);
        Assert.Equal(0, b.Work.Rounds);
        Assert.Equal(a.Holder, (await a.LeaseAsync("test:counting"))!.Holder);

        // Both clocks move together: A renews and works each round, B asks each round and is refused.
        for (var round = 2; round <= 4; round++)
        {
            clockA.Advance(Leases.Renewal);
            clockB.Advance(Leases.Renewal);
            await Node.UntilAsync(async () => a.Work.Waits >= round && b.Work.Waits >= round, $"round {round} on both nodes");
        }
        Assert.Equal(4, a.Work.Rounds);
        Assert.Equal(0, b.Work.Rounds);

        // A stops renewing (its clock stands still, as a hung or cut-off node's would). Until its lease has run out B
        // still may not work; one step past it, B takes over.
        var expires = (await a.LeaseAsync("test:counting"))!.ExpiresAt;
        var waits = b.Work.Waits;
        while (clockB.GetUtcNow().UtcDateTime + Leases.Renewal < expires)
        {
            clockB.Advance(Leases.Renewal);
            await Node.UntilAsync(async () => b.Work.Waits > waits, "a round on node B");
            waits = b.Work.Waits;
            Assert.Equal(0, b.Work.Rounds);
        }
        clockB.Advance(Leases.Renewal);
        await Node.UntilAsync(async () => b.Work.Rounds == 1, "node B taking the lease over");
        Assert.Equal(b.Holder, (await b.LeaseAsync("test:counting"))!.Holder);
        Assert.Equal(4, a.Work.Rounds);
    }

    [Fact]
    public async Task ANodeStoppingInOrderLetsItsLeaseGoSoAnotherTakesItAtItsNextRound()
    {
        var data = Node.NewDataDirectory();
        var (clockA, clockB) = Node.Clocks();
        var a = new CountingNode(data, clockA) { KeepsData = true };
        await Node.UntilAsync(async () => a.Work.Waits >= 1, "node A's first round");
        await using var b = new CountingNode(data, clockB);
        await Node.UntilAsync(async () => b.Work.Waits >= 1, "node B's first round");
        Assert.Equal(0, b.Work.Rounds);

        await a.DisposeAsync();
        clockB.Advance(Leases.Renewal);
        await Node.UntilAsync(async () => b.Work.Rounds == 1, "node B taking the released lease");
        Assert.True(clockB.GetUtcNow().UtcDateTime < clockA.GetUtcNow().UtcDateTime + Leases.Period, "B did not wait for the lease to expire");
    }

    [Fact]
    public async Task EveryCleanupRunsUnderALease()
    {
        var data = Node.NewDataDirectory();
        var (clock, _) = Node.Clocks();
        await using var node = new Node(data, clock);
        _ = node.Server;
        foreach (var name in new[] { "cleanup:SessionCleanup", "cleanup:IdempotencyCleanup", "cleanup:NotificationCleanup", "cleanup:SimilarityBandCleanup", "cleanup:StoppedImportCleanup", "cleanup:TeamInviteCleanup", "mail" })
        {
            await Node.UntilAsync(async () => (await node.LeaseAsync(name))?.Holder == node.Holder, $"the lease {name} taken");
        }
        Assert.NotEmpty(node.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<HourlyCleanup>());
    }
}
