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

    bool FileHolds(string word)
    {
        using var file = new FileStream(Path.Combine(app.DataDirectory, "hearth.db"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var bytes = new MemoryStream();
        file.CopyTo(bytes);
        return bytes.ToArray().AsSpan().IndexOf(Encoding.UTF8.GetBytes(word)) >= 0;
    }

    async Task CheckpointedAfterAsync(long before)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (Checkpoints.Done <= before)
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    [SqliteFact("the write-ahead log is SQLite's")]
    public async Task APostsWordsReachTheDatabaseFileWithoutWaitingForTheLogToFill()
    {
        var site = await app.CreateSiteAsync();
        foreach (var round in new[] { "first", "second" })
        {
            var word = "quillwort" + Guid.NewGuid().ToString("N");
            var before = Checkpoints.Done;
            await _client.CommentAsync(site, ApiCalls.NewPageUrl(), $"The {round} post here mentions {word} by the pond.", name: "Reader");
            await CheckpointedAfterAsync(before);
            Assert.True(FileHolds(word), $"The {round} post's words were still only in the write-ahead log.");
            // Copies are spaced out in time; the next batch's comes once that time has passed.
            app.Clock.Advance(TimeSpan.FromSeconds(1));
        }
    }

    [PostgresFact("PostgreSQL keeps its own log")]
    public async Task PostgreSqlIsLeftToItsOwnCheckpoints()
    {
        var site = await app.CreateSiteAsync();
        await _client.CommentAsync(site, ApiCalls.NewPageUrl(), "A post on PostgreSQL asks no copy of a log of ours.", name: "Reader");
        Assert.Equal(0, Checkpoints.Done);
    }
}
