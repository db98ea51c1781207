using System.Text;
using Hearth.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Storage;

/// <summary>
/// On SQLite, what a batch of posts wrote reaches the database file soon after the batch answered, copied from the
/// write-ahead log on a connection of its own, not by the writer of a later batch once the log is full.
/// </summary>
public class WalCheckpointsTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    WalCheckpoints Checkpoints => app.Services.GetRequiredService<WalCheckpoints>();

    bool FileHolds(string word, string file = "hearth.db")
    {
        var path = Path.Combine(app.DataDirectory, file);
        if (!File.Exists(path))
        {
            return false;
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray().AsSpan().IndexOf(Encoding.UTF8.GetBytes(word)) >= 0;
    }

    async Task CopyEndedAfterAsync(long before)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (Checkpoints.Ended <= before)
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>
    /// Posts the words, then waits for the copy that follows. A copy takes only what no reader still needs (a
    /// background reader may hold the state from before the post): then one more post, a second later, brings the
    /// next copy. A few such posts are far too few to fill SQLite's own log, so only the copies after batches pass this.
    /// </summary>
    async Task PostAndWaitForTheFileAsync(string site, string word)
    {
        var page = ApiCalls.NewPageUrl();
        // Copies are spaced out in time: past the pause after any earlier copy of this instance.
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var before = Checkpoints.Ended;
        await _client.CommentAsync(site, page, $"A post here mentions {word} by the pond.", name: "Reader");
        for (var nudge = 1; nudge <= 3 && !FileHolds(word); nudge++)
        {
            await CopyEndedAfterAsync(before);
            if (FileHolds(word))
            {
                break;
            }
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            before = Checkpoints.Ended;
            await _client.CommentAsync(site, page, $"Another view of the pond, number {nudge}, with herons and reeds.", name: "Other " + nudge);
        }
        Assert.True(FileHolds(word), "The post's words were still only in the write-ahead log.");
    }

    [SqliteFact("the write-ahead log is SQLite's")]
    public async Task APostsWordsReachTheDatabaseFileWithoutWaitingForTheLogToFill()
    {
        var site = await app.CreateSiteAsync();
        await PostAndWaitForTheFileAsync(site, "quillwort" + Guid.NewGuid().ToString("N"));
        await PostAndWaitForTheFileAsync(site, "bladderwort" + Guid.NewGuid().ToString("N"));
    }

    [SqliteFact("the write-ahead log is SQLite's")]
    public async Task EmptyingTheLogWaitsForACopyUnderWayInsteadOfDoingNothing()
    {
        var site = await app.CreateSiteAsync();
        var word = "sundew" + Guid.NewGuid().ToString("N");
        await _client.CommentAsync(site, ApiCalls.NewPageUrl(), $"Words that must leave the log: {word}.", name: "Reader");
        // Hold the copies' turn as a copy under way would, then ask for the log to be emptied: it must wait for the
        // turn, not find SQLite busy and return having done nothing.
        var turn = Checkpoints.Turn;
        await turn.WaitAsync();
        Task emptied;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
            emptied = Checkpoints.EmptyLogAsync(db, CancellationToken.None);
            await Task.Delay(200);
            Assert.False(emptied.IsCompleted, "Emptying the log did not wait for the copy under way.");
            turn.Release();
            await emptied;
        }
        Assert.Equal(0, new FileInfo(Path.Combine(app.DataDirectory, "hearth.db-wal")).Length);
        Assert.True(FileHolds(word));
    }

    [PostgresFact("PostgreSQL keeps its own log")]
    public async Task PostgreSqlIsLeftToItsOwnCheckpoints()
    {
        var site = await app.CreateSiteAsync();
        await _client.CommentAsync(site, ApiCalls.NewPageUrl(), "A post on PostgreSQL asks no copy of a log of ours.", name: "Reader");
        Assert.Equal(0, Checkpoints.Ended);
    }
}
