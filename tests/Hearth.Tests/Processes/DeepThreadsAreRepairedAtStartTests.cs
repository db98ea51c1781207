using System.Net;
using System.Text.Json;
using Hearth.Tests.Storage;

namespace Hearth.Tests.Processes;

/// <summary>
/// A data folder whose database already holds a chain of replies far deeper than the maximum (written by an older
/// Hearth, which rendered it recursively until the stack gave out) is repaired when the server starts: the plain page
/// and the JSON of that thread answer (the chain a page of replies at a time), and the process lives on.
/// </summary>
public class DeepThreadsAreRepairedAtStartTests
{
    const int ChainLength = 20_000;
    const int MaxReplyDepth = 10;

    [Fact]
    public async Task AStoredChainOfTwentyThousandRepliesIsRepairedAtStartAndItsThreadRenders()
    {
        using var data = new DataFolder();
        var add = await HearthCommand.RunAsync("sites", "add", "deep", "--origin", "https://blog.example", "--data", data.Path);
        Assert.True(add.ExitCode == 0, add.ToString());
        const string url = "https://blog.example/a-very-deep-thread";
        var chain = await DeepChain.WriteAsync(data.DatabasePath, "deep", url, ChainLength);

        using var server = await HearthProcess.StartAsync(data.Path);

        var plain = await server.Client.GetAsync($"/embed/deep/thread?url={Uri.EscapeDataString(url)}");
        Assert.True(plain.StatusCode == HttpStatusCode.OK, $"The plain page answered {(int)plain.StatusCode}. Server output:\n{server.Output}");
        var html = await plain.Content.ReadAsStringAsync();
        // A page carries the first replies of a comment; the chain hangs from one, so those are its first links.
        var shown = global::Hearth.Conversations.ReadThread.RepliesPerRoot;
        Assert.Contains($"{ChainLength} comments", html);
        Assert.Contains($"Answer number {shown}<", html);
        Assert.DoesNotContain($"Answer number {shown + 1}<", html);
        Assert.Contains($"in reply to <a href=\"#comment-{chain[shown - 1]}\">Writer {shown - 1}</a>", html);

        var address = $"/api/v1/sites/deep/thread?url={Uri.EscapeDataString(url)}&sort=oldest";
        var json = await server.Client.GetAsync(address);
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        var comments = JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement.GetProperty("comments").EnumerateArray().ToList();
        Assert.Equal(shown + 1, comments.Count);
        Assert.True(comments[0].GetProperty("moreReplies").GetBoolean());
        // The rest of the chain, a page's share at a time, each after the last reply read.
        for (var more = true; more;)
        {
            using var next = await server.Client.GetAsync($"{address}&replies={chain[0]}&after={comments[^1].Id()}");
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
            var page = JsonDocument.Parse(await next.Content.ReadAsStringAsync()).RootElement.Clone();
            comments.AddRange(page.GetProperty("comments").EnumerateArray());
            more = page.GetProperty("moreReplies").GetBoolean();
        }
        Assert.Equal(ChainLength, comments.Count);
        Assert.Equal(chain, comments.Select(c => c.Id()));
        // Every reply past the deepest level hangs under the comment one level above it and names the one it answered.
        var last = comments.Single(c => c.Id() == chain[^1]);
        Assert.Equal(chain[MaxReplyDepth - 1], last.GetProperty("parentId").GetInt64());
        Assert.Equal(chain[^2], last.GetProperty("replyTo").GetProperty("id").GetInt64());
        var parents = comments.Select(c => c.GetProperty("parentId")).Where(p => p.ValueKind == JsonValueKind.Number).Select(p => p.GetInt64()).ToHashSet();
        Assert.Subset(chain.Take(MaxReplyDepth).ToHashSet(), parents);

        Assert.False(server.Process.HasExited, $"The server exited. Its output:\n{server.Output}");
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/healthz")).StatusCode);
    }
}
