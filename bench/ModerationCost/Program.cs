// What the moderation checks add to one comment post: every check of the running server, in its order, against a
// real SQLite file holding a busy site's month (20,000 comments on 200 pages by 2,000 people, 200 bans, 40 banned
// and 40 suspect words, first-comment mode, which asks the database about each author). Each draft goes through the
// whole list, as a comment that no check stops does: the most a post can pay.
//
// Usage: dotnet run -c Release --project bench/ModerationCost [-- DRAFTS]
using System.Diagnostics;
using System.Globalization;
using Hearth;
using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Moderation;
using Hearth.Sites;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

var drafts = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000;
var data = Path.Combine(Path.GetTempPath(), "hearth-moderation-cost-" + Guid.NewGuid().ToString("N"));
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Hearth:DataDirectory"] = data,
    ["Hearth:SeedDemo"] = "false",
    // Every draft must pass every check: limits that never bite.
    ["Hearth:RateLimits:CommentsPerAuthorPerMinute"] = "100000000",
    ["Hearth:RateLimits:CommentsPerThreadPerMinute"] = "100000000",
    ["Hearth:RateLimits:CommentsPerAddressOnThreadPerMinute"] = "100000000",
}).Build();
var services = new ServiceCollection()
    .AddSingleton<IConfiguration>(configuration)
    .AddLogging();
services.AddHearthOptions();
services.AddHearthStorage();
services.AddConversations();
services.AddModeration();
services.AddHearthIdentity(); // the Identity tables take their shape from its options
await using var provider = services.BuildServiceProvider();

try
{
    await provider.GetRequiredService<StoragePreparation>().RunAsync(seedDemo: false, CancellationToken.None);
    var now = DateTime.UtcNow;
    var random = new Random(20261126);
    var markdown = provider.GetRequiredService<MarkdownRenderer>();

    var (siteId, threads) = await SeedAsync(provider, markdown, random, now);
    await using var scope = provider.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
    var site = await db.Sites.AsNoTracking().SingleAsync(s => s.Id == siteId);
    // A post runs its checks inside its transaction, on one open connection; so do these.
    await db.Database.OpenConnectionAsync();
    // The pace of posting is checked first, before the write lock; then the list, as PostComment runs them.
    IReadOnlyList<ICommentCheck> checks = [scope.ServiceProvider.GetRequiredService<PostingRateCheck>(), .. scope.ServiceProvider.GetRequiredService<IReadOnlyList<ICommentCheck>>()];

    var samples = new List<CommentDraft>(drafts);
    for (var i = 0; i < drafts; i++)
    {
        var thread = threads[random.Next(threads.Count)];
        var author = random.Next(2400); // mostly people with a history here, some new
        samples.Add(new CommentDraft(site, thread, thread.Key, Author(author), null, markdown.Render(Text.Comment(random, links: random.Next(4) == 0)),
            "ip-" + author, now));
    }

    // Warm up: one whole pass, so the runtime has finished compiling the hot paths at full optimisation and SQLite's
    // pages are in memory; then measure each draft on its own.
    foreach (var draft in samples)
    {
        await RunAsync(checks, draft);
    }
    var each = new double[samples.Count];
    var stopped = 0;
    for (var i = 0; i < samples.Count; i++)
    {
        var start = Stopwatch.GetTimestamp();
        if (await RunAsync(checks, samples[i]) is not null)
        {
            stopped++;
        }
        each[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
    Array.Sort(each);
    double At(double q) => each[(int)Math.Min(each.Length - 1, Math.Round(q * (each.Length - 1)))];

    // Each check alone, for where the time goes.
    var perCheck = new List<(string Name, double Median)>();
    foreach (var check in checks)
    {
        var times = new double[samples.Count];
        for (var i = 0; i < samples.Count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await check.RunAsync(samples[i], CancellationToken.None);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        perCheck.Add((check.GetType().Name, times[times.Length / 2]));
    }

    var inv = CultureInfo.InvariantCulture;
    Console.WriteLine(string.Create(inv, $"drafts={samples.Count} held_or_refused={stopped} checks={checks.Count}"));
    Console.WriteLine(string.Create(inv, $"median_ms={At(0.5):0.000} p90_ms={At(0.9):0.000} p99_ms={At(0.99):0.000} max_ms={each[^1]:0.000}"));
    foreach (var (name, median) in perCheck)
    {
        Console.WriteLine(string.Create(inv, $"check {name} median_ms={median:0.0000}"));
    }
}
finally
{
    await provider.DisposeAsync();
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(data, recursive: true);
}

static async Task<CheckOutcome?> RunAsync(IReadOnlyList<ICommentCheck> checks, CommentDraft draft)
{
    foreach (var check in checks)
    {
        if (await check.RunAsync(draft, CancellationToken.None) is { } outcome)
        {
            return outcome;
        }
    }
    return null;
}

static CommentAuthor Author(int n) => new()
{
    Kind = AuthorKind.Guest,
    Name = "Person " + n,
    Email = $"person{n}@mail.example",
    Key = "author-" + n.ToString(CultureInfo.InvariantCulture),
};

static async Task<(long SiteId, List<CommentThread> Threads)> SeedAsync(IServiceProvider provider, MarkdownRenderer markdown, Random random, DateTime now)
{
    await using var scope = provider.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
    var site = new Site
    {
        Name = "bench",
        Origins = ["https://bench.example"],
        Moderation = ModerationMode.First,
        MaxLinks = 3,
        BannedWords = [.. Enumerable.Range(0, 40).Select(i => "bannedword" + i)],
        SuspectWords = [.. Enumerable.Range(0, 40).Select(i => "suspectword" + i)],
        CreatedAt = now.AddDays(-60),
    };
    db.Sites.Add(site);
    await db.SaveChangesAsync();
    var threads = Enumerable.Range(0, 200).Select(i => new CommentThread
    {
        SiteId = site.Id, Key = $"https://bench.example/articles/{i}", Url = $"https://bench.example/articles/{i}", CreatedAt = now.AddDays(-30),
    }).ToList();
    db.Threads.AddRange(threads);
    await db.SaveChangesAsync();
    for (var batch = 0; batch < 20; batch++)
    {
        var written = new List<(Comment Comment, RenderedMarkdown Body)>();
        for (var i = 0; i < 1000; i++)
        {
            var thread = threads[random.Next(threads.Count)];
            var author = random.Next(2000);
            var body = markdown.Render(Text.Comment(random, links: false));
            var comment = Comment.Create(thread, null, Author(author), body, CommentStatus.Published, null, null, "ip-" + author,
                now.AddMinutes(-random.Next(30 * 24 * 60)), new HearthOptions().MaxReplyDepth);
            db.Comments.Add(comment);
            written.Add((comment, body));
        }
        await db.SaveChangesAsync();
        // The fingerprints PostComment stores, for the comments of the last day.
        db.AddRange(written.Where(w => w.Comment.CreatedAt >= now.AddDays(-1)).SelectMany(w => SimilarityBand.For(w.Comment, w.Body)));
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
    }
    for (var i = 0; i < 200; i++)
    {
        db.Bans.Add(new Ban
        {
            SiteId = site.Id, Kind = i % 2 == 0 ? Ban.Email : Ban.Ip, Value = i % 2 == 0 ? $"banned{i}@mail.example" : "ip-banned-" + i,
            Reason = "Bench", CreatedBy = "Bench", CreatedAt = now.AddDays(-1), Until = i % 3 == 0 ? null : now.AddDays(7),
        });
    }
    await db.SaveChangesAsync();
    return (site.Id, threads);
}

static class Text
{
    static readonly string[] Words =
        ("the lock keeper opened gates early morning boats waited river was high after rain mill wheel turned slowly " +
         "village bakery sold bread walkers crossed bridge towpath muddy autumn leaves heron stood still water " +
         "history of canal built eighteenth century engineers carried coal cotton wool cargo barges horses pulled " +
         "today volunteers restore old stone walls paint railings plant flowers visitors enjoy quiet afternoon tea").Split(' ');

    public static string Comment(Random random, bool links)
    {
        var length = random.Next(8, 80);
        var words = new string[length];
        for (var i = 0; i < length; i++)
        {
            words[i] = Words[random.Next(Words.Length)];
        }
        var text = string.Join(' ', words);
        return links ? text + $" More at https://example{random.Next(50)}.org/page/{random.Next(1000)} and https://docs.example/{random.Next(99)}" : text;
    }
}
