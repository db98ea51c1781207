using System.Net;
using System.Text.Json;
using Hearth.Tests.Storage;

namespace Hearth.Tests.Processes;

/// <summary>
/// A data folder whose database already holds a chain of replies far deeper than the maximum (written by an older
/// Hearth, which rendered it recursively until the stack gave out) is repaired when the server starts: the plain page
/// and the JSON of that thread answer, and the process lives on.
/// </summary>
[Collection(ProcessesCollection.Name)]
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
        Assert.Contains($"{ChainLength} comments", html);
        Assert.Contains($"Answer number {ChainLength - 1}", html);
        Assert.Contains($"in reply to <a href=\"#comment-{chain[^2]}\">Writer {ChainLength - 2}</a>", html);

        var json = await server.Client.GetAsync($"/api/v1/sites/deep/thread?url={Uri.EscapeDataString(url)}&sort=oldest");
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        var comments = JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement.GetProperty("comments").EnumerateArray().ToList();
        Assert.Equal(ChainLength, comments.Count);
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
