using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Hearth.Tests.Processes;

/// <summary>A data folder that already holds a site named "taken", shared by the tests that try to break it.</summary>
public sealed class FolderWithASite : IAsyncLifetime, IDisposable
{
    public DataFolder Data { get; } = new();

    public async Task InitializeAsync()
    {
        var add = await HearthCommand.RunAsync("sites", "add", "taken", "--origin", "https://taken.example", "--data", Data.Path);
        Assert.True(add.ExitCode == 0, add.ToString());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Data.Dispose();
}

public class SitesCliTests(FolderWithASite folder) : IClassFixture<FolderWithASite>
{
    static readonly TimeSpan CacheDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SitesAddPrintsTheSiteAsJsonWithNormalisedOriginsAndTheModeration()
    {
        using var data = new DataFolder();
        var before = DateTime.UtcNow;

        var add = await HearthCommand.RunAsync("sites", "add", "blog",
            "--origin", "HTTPS://Blog.Example:443/",
            "--origin", "http://Localhost:8081",
            "--origin", "https://blog.example",
            "--moderation", "pre",
            "--data", data.Path);

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.DoesNotContain("hearth:", add.Stderr);
        var site = JsonDocument.Parse(add.Stdout).RootElement;
        Assert.True(site.GetProperty("id").GetInt64() > 0);
        Assert.Equal("blog", site.GetProperty("name").GetString());
        Assert.Equal<string>(["https://blog.example", "http://localhost:8081"], Strings(site.GetProperty("origins")));
        Assert.Equal("pre", site.GetProperty("moderation").GetString());
        var createdAt = site.GetProperty("createdAt").GetDateTime();
        Assert.InRange(createdAt, before.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task SitesListShowsTheSitesAddedWithTheirOriginsAndModeration()
    {
        using var data = new DataFolder();
        Assert.Equal(0, (await HearthCommand.RunAsync("sites", "add", "news", "--origin", "https://news.example", "--data", data.Path)).ExitCode);
        Assert.Equal(0, (await HearthCommand.RunAsync("sites", "add", "shop", "--origin", "https://shop.example",
            "--origin", "https://www.shop.example", "--moderation", "pre", "--data", data.Path)).ExitCode);

        var list = await HearthCommand.RunAsync("sites", "list", "--data", data.Path);

        Assert.True(list.ExitCode == 0, list.ToString());
        var sites = JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal<string>(["https://news.example"], Strings(sites["news"].GetProperty("origins")));
        Assert.Equal("post", sites["news"].GetProperty("moderation").GetString());
        Assert.Equal<string>(["https://shop.example", "https://www.shop.example"], Strings(sites["shop"].GetProperty("origins")));
        Assert.Equal("pre", sites["shop"].GetProperty("moderation").GetString());
    }

    public static TheoryData<string[], string> RefusedAdds => new()
    {
        { ["taken", "--origin", "https://other.example"], "hearth: A site named 'taken' already exists." },
        { ["My Site!", "--origin", "https://my.example"], "hearth: 'My Site!' is not a valid site name" },
        { ["ftp-site", "--origin", "ftp://x"], "hearth: 'ftp://x' is not an origin" },
        { ["path-site", "--origin", "https://x.test/path"], "hearth: 'https://x.test/path' is not an origin" },
        { ["half-good", "--origin", "https://good.example", "--origin", "ftp://x"], "hearth: 'ftp://x' is not an origin" },
    };

    [Theory]
    [MemberData(nameof(RefusedAdds))]
    public async Task SitesAddRefusesABadSiteWithAMessageOnStderrAndStoresNothing(string[] args, string message)
    {
        var before = await ListAsync();

        var add = await HearthCommand.RunAsync(["sites", "add", .. args, "--data", folder.Data.Path]);

        Assert.True(add.ExitCode == 1, add.ToString());
        Assert.Contains(message, add.Stderr);
        Assert.Equal("", add.Stdout);
        Assert.Equal(before, await ListAsync());
    }

    public static TheoryData<string[], string> UnparsableAdds => new()
    {
        { ["no-origin"], "Option '--origin' is required." },
        { ["odd-moderation", "--origin", "https://odd.example", "--moderation", "sometimes"], "Argument 'sometimes' not recognized" },
    };

    [Theory]
    [MemberData(nameof(UnparsableAdds))]
    public async Task SitesAddWithMissingOrUnknownOptionsFailsOnStderrAndStoresNothing(string[] args, string message)
    {
        var before = await ListAsync();

        var add = await HearthCommand.RunAsync(["sites", "add", .. args, "--data", folder.Data.Path]);

        Assert.True(add.ExitCode != 0, add.ToString());
        Assert.Contains(message, add.Stderr);
        Assert.Equal("", add.Stdout.Trim());
        Assert.Equal(before, await ListAsync());
    }

    [Fact]
    public async Task ASiteAddedWhileTheServerRunsBecomesUsableWithinSeconds()
    {
        using var data = new DataFolder();
        using var server = await HearthProcess.StartAsync(data.Path);
        var url = $"https://live.example/posts/{Guid.NewGuid():N}";
        var thread = $"/api/v1/sites/live/thread?url={Uri.EscapeDataString(url)}";
        // Asked for before it exists, so the server has remembered its absence and must notice the change by itself.
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync(thread)).StatusCode);

        var add = await HearthCommand.RunAsync("sites", "add", "live", "--origin", "https://live.example", "--data", data.Path);
        Assert.True(add.ExitCode == 0, add.ToString());

        var waiting = Stopwatch.StartNew();
        HttpStatusCode status;
        while ((status = (await server.Client.GetAsync(thread)).StatusCode) != HttpStatusCode.OK && waiting.Elapsed < CacheDeadline)
        {
            await Task.Delay(200);
        }
        Assert.True(status == HttpStatusCode.OK,
            $"The server still answered {(int)status} for the new site {CacheDeadline.TotalSeconds} s after it was added.\n{server.Output}");

        using var post = await server.Client.PostAsJsonAsync("/api/v1/sites/live/comments",
            new { url, body = "First on the new site", author = new { name = "Ines" } });
        Assert.True(post.StatusCode == HttpStatusCode.Created, await post.Content.ReadAsStringAsync());
        var page = JsonDocument.Parse(await server.Client.GetStringAsync(thread)).RootElement;
        Assert.Equal(1, page.GetProperty("thread").GetProperty("commentCount").GetInt32());
    }

    [Fact]
    public async Task AServerStartedOnAnEmptyFolderServesTheDemoPageAndItsThread()
    {
        using var data = new DataFolder();
        using var server = await HearthProcess.StartAsync(data.Path);

        var page = await server.Client.GetStringAsync("/demo");
        Assert.Contains("Keeping a kitchen garden alive through winter", page);
        Assert.Contains("src=\"/embed.js\"", page);
        var withoutScript = await server.Client.GetStringAsync(
            "/embed/demo/thread?identifier=hearth-demo&url=" + Uri.EscapeDataString("http://localhost:8080/demo"));
        Assert.Contains("7 comments", withoutScript);
        Assert.Contains("Marta Kowalczyk", withoutScript);
        // Started from another folder, the program still finds the widget it ships with.
        var loader = await server.Client.GetStringAsync("/embed.js");
        var widget = System.Text.RegularExpressions.Regex.Match(loader, "/widget/hearth\\.[a-z0-9]+\\.js").Value;
        Assert.Contains("hearthQueue", await server.Client.GetStringAsync(widget));

        var thread = JsonDocument.Parse(await server.Client.GetStringAsync(
            "/api/v1/sites/demo/thread?identifier=hearth-demo&url=" + Uri.EscapeDataString("http://localhost:8080/demo"))).RootElement;
        Assert.Equal(7, thread.GetProperty("thread").GetProperty("commentCount").GetInt32());
        Assert.Equal(7, thread.GetProperty("comments").GetArrayLength());
        Assert.Contains(thread.GetProperty("comments").EnumerateArray(),
            c => c.GetProperty("author").GetProperty("name").GetString() == "Jonas Brandt");

        var list = await HearthCommand.RunAsync("sites", "list", "--data", data.Path);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Equal<string>(["demo"], Strings(JsonDocument.Parse(list.Stdout).RootElement, "name"));
    }

    async Task<string> ListAsync()
    {
        var list = await HearthCommand.RunAsync("sites", "list", "--data", folder.Data.Path);
        Assert.True(list.ExitCode == 0, list.ToString());
        return list.Stdout;
    }

    static string[] Strings(JsonElement array, string property) =>
        [.. array.EnumerateArray().Select(e => e.GetProperty(property).GetString()!)];

    static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
