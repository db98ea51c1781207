// Fills a Hearth data folder with a busy day: COUNT comments on the demo site from the last 24 hours, written
// straight into the database as a post stores them (fingerprints included), so bench/run can measure posting on a
// site that already holds 10,000 or 100,000 of the day's comments without spending an hour posting them first.
// A fifth are on one hot page, the rest spread over 2,000 quiet pages; 30% answer an earlier comment of their page;
// 600 names; the text is drawn like bench/post-realistic.lua's (10 to 150 words from some thousands, a little
// Markdown, some links), from a fixed seed.
//
// Usage: dotnet bench/BusyDay/bin/Release/net10.0/BusyDay.dll DATA_DIR COUNT HOT_PAGE_URL
using System.Globalization;
using System.Text;
using Hearth;
using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Moderation;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

var data = args[0];
var count = int.Parse(args[1], CultureInfo.InvariantCulture);
var hotUrl = args[2];
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Hearth:DataDirectory"] = data,
}).Build();
var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
services.AddHearthOptions();
services.AddHearthStorage();
services.AddConversations();
services.AddModeration();
services.AddHearthIdentity();
await using var provider = services.BuildServiceProvider();
await provider.GetRequiredService<StoragePreparation>().RunAsync(seedDemo: true, CancellationToken.None);

var random = new Random(20261203);
var markdown = provider.GetRequiredService<MarkdownRenderer>();
var keys = provider.GetRequiredService<InstanceKey>();
var now = DateTime.UtcNow;
await using (var scope = provider.CreateAsyncScope())
{
    var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
    var site = await db.Sites.SingleAsync(s => s.Name == "demo");
    var urls = new List<string> { ThreadAddress.NormalizeUrl(hotUrl)! };
    for (var i = 0; i < 2000; i++)
    {
        urls.Add($"http://localhost:8080/bench/quiet/{i}");
    }
    var threads = new List<CommentThread>();
    foreach (var url in urls)
    {
        var address = new ThreadAddress(url, null);
        var thread = await db.Threads.FirstOrDefaultAsync(t => t.SiteId == site.Id && t.Key == address.Key);
        if (thread is null)
        {
            thread = new CommentThread { SiteId = site.Id, Key = address.Key, Url = url, CreatedAt = now.AddDays(-2) };
            db.Threads.Add(thread);
        }
        threads.Add(thread);
    }
    await db.SaveChangesAsync();
    var published = threads.ToDictionary(t => t.Id, _ => new List<Comment>());
    // Oldest first, as the day happened.
    var times = Enumerable.Range(0, count).Select(_ => now.AddSeconds(-random.Next(1, 23 * 3600))).Order().ToList();
    for (var start = 0; start < count; start += 2000)
    {
        var written = new List<(Comment Comment, RenderedMarkdown Body)>();
        for (var i = start; i < Math.Min(count, start + 2000); i++)
        {
            var thread = random.Next(5) == 0 ? threads[0] : threads[1 + random.Next(threads.Count - 1)];
            var earlier = published[thread.Id];
            var parent = earlier.Count > 0 && random.Next(10) < 3 ? earlier[random.Next(earlier.Count)] : null;
            // Only comments of earlier batches have their ids yet; and threads stay a few levels deep.
            if (parent is { Id: 0 } or { Depth: >= 3 })
            {
                parent = null;
            }
            var name = "Reader " + random.Next(600).ToString(CultureInfo.InvariantCulture);
            var author = new CommentAuthor
            {
                Kind = AuthorKind.Guest,
                Name = name,
                Key = keys.Hash("author", "guest\n" + name.ToLowerInvariant() + "\n"),
            };
            var body = markdown.Render(Text.Comment(random));
            var comment = Comment.Create(thread, parent, author, body, CommentStatus.Published, null, null, "bench-" + random.Next(5000), times[i], new HearthOptions().MaxReplyDepth);
            db.Comments.Add(comment);
            written.Add((comment, body));
            earlier.Add(comment);
            thread.CommentCount++;
        }
        await db.SaveChangesAsync();
        db.AddRange(written.SelectMany(w => SimilarityBand.For(w.Comment, w.Body)));
        await db.SaveChangesAsync();
        Console.Error.WriteLine($"[busy-day] {Math.Min(count, start + 2000)} of {count} comments");
    }
}
Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

/// <summary>Comments as people write them; the same shape as bench/post-realistic.lua draws.</summary>
static class Text
{
    static readonly string[] Syllables =
        ("ba be bi bo bu da de di do du fa fe fi fo fu ga ge gi go gu ka ke ki ko ku la le li lo lu ma me mi mo mu " +
         "na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu").Split(' ');

    static readonly string[] Common = "the a of and to in is that it for was on with as but not this have".Split(' ');

    public static string Comment(Random random)
    {
        var words = 10 + random.Next(141);
        var text = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            var word = random.Next(3) == 0 ? Common[random.Next(Common.Length)]
                : Syllables[random.Next(50)] + Syllables[random.Next(50)] + (random.Next(2) == 0 ? Syllables[random.Next(50)] : "");
            text.Append(i == 0 ? "" : random.Next(12) == 0 ? ". " : " ").Append(random.Next(25) == 0 ? $"*{word}*" : word);
        }
        if (random.Next(5) == 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" See [this page](https://site{random.Next(300)}.example/page/{random.Next(1000)}).");
        }
        return text.Append('.').ToString();
    }
}
