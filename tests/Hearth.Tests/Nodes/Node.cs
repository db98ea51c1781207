using Hearth.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.Tests.Nodes;

/// <summary>One node of an instance: its own server and clock, sharing the data folder (the SQLite file) with other nodes.</summary>
public class Node(string dataDirectory, FakeTimeProvider clock, IReadOnlyDictionary<string, string>? settings = null)
    : HearthApp(dataDirectory, clock)
{
    protected override IReadOnlyDictionary<string, string> Settings => settings ?? new Dictionary<string, string>();

    public string Holder => Services.GetRequiredService<Leases>().Holder;

    public Task<Lease?> LeaseAsync(string name) => InDatabaseAsync(db => db.Set<Lease>().AsNoTracking().SingleOrDefaultAsync(l => l.Name == name));

    /// <summary>Two clocks at the same instant, as two machines kept in step by NTP.</summary>
    public static (FakeTimeProvider, FakeTimeProvider) Clocks()
    {
        var now = DateTimeOffset.UtcNow;
        return (new FakeTimeProvider(now), new FakeTimeProvider(now));
    }

    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "hearth-tests", "nodes-" + Guid.NewGuid().ToString("N"));

    /// <summary>Waits (a bounded while) for something another thread makes true; the failure says what never happened.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, Action? eachTime = null)
    {
        for (var i = 0; i < 400; i++)
        {
            if (await condition())
            {
                return;
            }
            eachTime?.Invoke();
            await Task.Delay(25);
        }
        throw new TimeoutException("Never happened: " + what);
    }
}

/// <summary>Leased work that only counts: how often it ran (held the lease) and how often it asked for it.</summary>
public sealed class CountingWork(Leases leases, TimeProvider clock, ILogger<CountingWork> logger) : LeasedWork(leases, clock, logger)
{
    int _rounds;
    int _waits;

    public int Rounds => Volatile.Read(ref _rounds);

    /// <summary>Rounds of the loop finished: the lease asked for, and the wait for the next round started.</summary>
    public int Waits => Volatile.Read(ref _waits);

    protected override string LeaseName => "test:counting";

    protected override Task RunAsync(CancellationToken ct)
    {
        Interlocked.Increment(ref _rounds);
        return Task.CompletedTask;
    }

    protected override Task WaitAsync(TimeSpan longest, CancellationToken ct)
    {
        var wait = base.WaitAsync(longest, ct); // the timer is set on the clock before the count moves
        Interlocked.Increment(ref _waits);
        return wait;
    }
}

public sealed class CountingNode(string dataDirectory, FakeTimeProvider clock) : Node(dataDirectory, clock)
{
    public CountingWork Work => Services.GetRequiredService<CountingWork>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<CountingWork>();
            services.AddHostedService(provider => provider.GetRequiredService<CountingWork>());
        });
    }
}
