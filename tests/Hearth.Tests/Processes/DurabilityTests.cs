using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Hearth.Tests.Processes;

public class DurabilityTests(ITestOutputHelper log)
{
    const string Site = "durable";
    const int Writers = 8;
    static readonly TimeSpan MinimumWriting = TimeSpan.FromSeconds(2);
    const int MinimumAcknowledged = 100;
    static readonly TimeSpan WritingDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EveryAcknowledgedCommentSurvivesASigkillInTheMiddleOfConcurrentWrites()
    {
        using var data = new DataFolder();
        var add = await HearthCommand.RunAsync("sites", "add", Site, "--origin", "https://durable.example", "--data", data.Path);
        Assert.True(add.ExitCode == 0, add.ToString());
        var url = $"https://durable.example/posts/{Guid.NewGuid():N}";

        var acknowledged = new ConcurrentDictionary<long, string>();
        var unexpected = new ConcurrentQueue<string>();
        var cutOff = 0;

        using (var server = await HearthProcess.StartAsync(data.Path))
        {
            var killed = 0;
            var writing = Stopwatch.StartNew();
            var writers = Enumerable.Range(0, Writers)
                .Select(writer => Task.Run(() => WriteUntilTheServerIsGoneAsync(server.Client, writer)))
                .ToArray();

            while (!(writing.Elapsed >= MinimumWriting && acknowledged.Count >= MinimumAcknowledged)
                   && writing.Elapsed < WritingDeadline && writers.All(w => !w.IsCompleted))
            {
                await Task.Delay(20);
            }
            Assert.True(acknowledged.Count >= MinimumAcknowledged && writers.All(w => !w.IsCompleted),
                $"After {writing.Elapsed.TotalSeconds:F1} s: {acknowledged.Count} comments acknowledged, "
                + $"{writers.Count(w => w.IsCompleted)} writers stopped before the kill. "
                + $"Unexpected: {string.Join("; ", unexpected)}\nServer output:\n{server.Output}");

            Volatile.Write(ref killed, 1);
            server.Kill();
            log.WriteLine($"Killed the server (pid {server.Process.Id}) after {writing.Elapsed.TotalSeconds:F1} s and {acknowledged.Count} acknowledged comments.");
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60));

            // A process ended by SIGKILL reports 128 + 9; any other code means it got to exit in some gentler way.
            if (OperatingSystem.IsLinux())
            {
                Assert.Equal(128 + 9, server.Process.ExitCode);
            }
            // Nothing answers on the port any more: what was killed was the server, not a launcher in front of it.
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => server.Client.GetAsync("/healthz"));

            async Task WriteUntilTheServerIsGoneAsync(HttpClient client, int writer)
            {
                for (var n = 0; writing.Elapsed < WritingDeadline + TimeSpan.FromSeconds(30); n++)
                {
                    var body = $"writer {writer} comment {n}";
                    try
                    {
                        using var response = await client.PostAsJsonAsync($"/api/v1/sites/{Site}/comments",
                            new { url, body, author = new { name = $"Writer {writer}" } });
                        var text = await response.Content.ReadAsStringAsync();
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            acknowledged[JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt64()] = body;
                        }
                        else
                        {
                            unexpected.Enqueue($"{body}: {(int)response.StatusCode} {text}");
                            return;
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                    {
                        if (Volatile.Read(ref killed) == 0)
                        {
                            unexpected.Enqueue($"{body}: {e.GetType().Name} before the kill: {e.Message}");
                        }
                        else
                        {
                            Interlocked.Increment(ref cutOff);
                        }
                        return;
                    }
                }
            }
        }

        Assert.True(unexpected.IsEmpty, string.Join("\n", unexpected));
        // Every writer ends on a request the kill cut off, which shows the kill landed while writes were under way.
        Assert.Equal(Writers, cutOff);

        using var restarted = await HearthProcess.StartAsync(data.Path);
        var (commentCount, stored) = await ReadWholeThreadAsync(restarted.Client, url);

        log.WriteLine($"After the restart the thread holds {stored.Count} comments; {acknowledged.Count} were acknowledged.");

        var missing = acknowledged.Keys.Where(id => !stored.ContainsKey(id)).Order().ToList();
        Assert.True(missing.Count == 0,
            $"{missing.Count} of {acknowledged.Count} acknowledged comments are gone after the restart: {string.Join(", ", missing.Take(50))}");
        var altered = acknowledged.Where(a => !stored[a.Key].Contains($">{a.Value}<", StringComparison.Ordinal)).Select(a => a.Key).ToList();
        Assert.True(altered.Count == 0, $"Comments whose text differs from what was acknowledged: {string.Join(", ", altered.Take(50))}");
        // Comments committed just before the kill may have lost only their answer, so the thread can hold more than was
        // acknowledged; but its count is written in the same transaction as each comment and must match what is there.
        Assert.True(stored.Count >= acknowledged.Count);
        Assert.Equal(stored.Count, commentCount);

        // SQLite's file is checked as well; a PostgreSQL server was never killed, only Hearth was.
        if (!TestDatabase.IsPostgres)
        {
            Assert.Equal("ok", IntegrityCheck(data.DatabasePath));
        }
    }

    /// <summary>Pages through the whole thread oldest first; returns its comment count and every comment's html by id.</summary>
    static async Task<(int CommentCount, Dictionary<long, string> Comments)> ReadWholeThreadAsync(HttpClient client, string url)
    {
        var comments = new Dictionary<long, string>();
        int? commentCount = null;
        string? cursor = null;
        for (var page = 0; page < 1000; page++)
        {
            var query = $"/api/v1/sites/{Site}/thread?url={Uri.EscapeDataString(url)}&sort=oldest&limit=200"
                + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            using var response = await client.GetAsync(query);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"Reading the thread answered {(int)response.StatusCode}: {text}");
            var root = JsonDocument.Parse(text).RootElement;
            commentCount ??= root.GetProperty("thread").GetProperty("commentCount").GetInt32();
            foreach (var comment in root.GetProperty("comments").EnumerateArray())
            {
                Assert.True(comments.TryAdd(comment.GetProperty("id").GetInt64(), comment.GetProperty("html").GetString()!),
                    $"Comment {comment.GetProperty("id")} came back on two pages.");
            }
            if (!root.TryGetProperty("nextCursor", out var next) || next.ValueKind != JsonValueKind.String)
            {
                return (commentCount.Value, comments);
            }
            cursor = next.GetString();
        }
        throw new InvalidOperationException("The thread did not end within 1000 pages.");
    }

    static string IntegrityCheck(string databasePath)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(0));
        }
        return string.Join("\n", lines);
    }
}
