using System.Net;
using System.Text.Json;
using Hearth.Tests.Identity;

namespace Hearth.Tests.Processes;

/// <summary>
/// `hearth copy --to postgres://...` moves a SQLite instance into PostgreSQL: a server on the same data folder with
/// HEARTH_DATABASE set to the copy serves the same thread, accepts the same sign-in and reads the same single sign-on
/// secret (its keys stay in the folder).
/// </summary>
public class CopyToPostgresTests
{
    static readonly Dictionary<string, string> OnSqlite = new() { ["HEARTH_DATABASE"] = "" };
    const string Url = "https://shop.example/boots";

    [PostgresFact("the copy goes into PostgreSQL")]
    public async Task TheCopyServesTheSameThreadSignInAndSingleSignOnSecret()
    {
        using var data = new DataFolder();
        Assert.Equal(0, (await HearthCommand.RunAsync(["sites", "add", "shop", "--origin", "https://shop.example", "--data", data.Path], OnSqlite, null)).ExitCode);
        var secret = Secret(await HearthCommand.RunAsync(["sites", "sso", "shop", "--data", data.Path], OnSqlite, null));
        string accessToken, threadBefore;
        using (var sqlite = await HearthProcess.StartAsync(data.Path, OnSqlite))
        {
            accessToken = await sqlite.Client.AccessTokenAsync("shop", Token(secret));
            using var post = await sqlite.Client.PostAsMemberAsync("shop", accessToken, new { url = Url, body = "Do they run **small**?" });
            Assert.Equal(HttpStatusCode.Created, post.StatusCode);
            var question = JsonDocument.Parse(await post.Content.ReadAsStringAsync()).RootElement.Id();
            await sqlite.Client.CommentAsync("shop", Url, "Half a size, in my experience.", parentId: question, name: "Guest");
            threadBefore = await sqlite.Client.GetStringAsync($"/api/v1/sites/shop/thread?url={Uri.EscapeDataString(Url)}");
        }
        Assert.True(File.Exists(data.DatabasePath));

        var address = TestDatabase.Unmade();
        try
        {
            var copy = await HearthCommand.RunAsync(["copy", "--to", address, "--data", data.Path], OnSqlite, null);

            Assert.True(copy.ExitCode == 0, copy.ToString());
            var counts = JsonDocument.Parse(copy.Stdout).RootElement;
            Assert.Equal(2, counts.GetProperty("Comments").GetInt64());
            Assert.Equal(1, counts.GetProperty("Sites").GetInt64());
            Assert.Equal(1, counts.GetProperty("MemberSessions").GetInt64());

            var onPostgres = new Dictionary<string, string> { ["HEARTH_DATABASE"] = address };
            Assert.Equal(secret, Secret(await HearthCommand.RunAsync(["sites", "sso", "shop", "--data", data.Path], onPostgres, null)));
            using var server = await HearthProcess.StartAsync(data.Path, onPostgres);
            // PostgreSQL keeps times to the microsecond, SQLite's text to the tenth of one: the seventh digit goes.
            Assert.Equal(ToMicroseconds(threadBefore),
                ToMicroseconds(await server.Client.GetStringAsync($"/api/v1/sites/shop/thread?url={Uri.EscapeDataString(Url)}")));
            // The session made on SQLite signs in on PostgreSQL, and the secret still signs tokens the copy accepts.
            using var again = await server.Client.PostAsMemberAsync("shop", accessToken, new { url = Url, body = "Thanks, ordering a size up." });
            Assert.Equal(HttpStatusCode.Created, again.StatusCode);
            Assert.Equal("Kim", JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("author").GetProperty("name").GetString());
            await server.Client.AccessTokenAsync("shop", Token(secret));
            // New rows take ids after the copied ones.
            var thread = JsonDocument.Parse(await server.Client.GetStringAsync($"/api/v1/sites/shop/thread?url={Uri.EscapeDataString(Url)}")).RootElement;
            Assert.Equal(3, thread.GetProperty("thread").GetProperty("commentCount").GetInt32());

            var twice = await HearthCommand.RunAsync(["copy", "--to", address, "--data", data.Path], OnSqlite, null);
            Assert.True(twice.ExitCode == 1, twice.ToString());
            Assert.Contains("is not empty", twice.Stderr);
        }
        finally
        {
            TestDatabase.Drop(address);
        }
    }

    [Fact]
    public async Task CopyRefusesAnAddressItCannotUseWithoutRepeatingIt()
    {
        using var data = new DataFolder();

        var run = await HearthCommand.RunAsync(["copy", "--to", "mysql://u:hush-hush@127.0.0.1/x", "--data", data.Path], OnSqlite, null);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("--to must be postgres://", run.Stderr);
        Assert.DoesNotContain("hush-hush", run.Stdout + run.Stderr);
    }

    /// <summary>Every time in the JSON written to the microsecond, with six digits (JSON leaves out trailing zeros).</summary>
    static string ToMicroseconds(string json) =>
        System.Text.RegularExpressions.Regex.Replace(json, @"(T\d\d:\d\d:\d\d)(?:\.(\d{1,7}))?Z",
            m => $"{m.Groups[1].Value}.{m.Groups[2].Value.PadRight(7, '0')[..6]}Z");

    static string Secret(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Stdout).RootElement.GetProperty("ssoSecret").GetString()!;
    }

    static string Token(string secret)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return SsoTokens.Sign(secret, new { sub = "c-1", name = "Kim", aud = "shop", iat = now, exp = now + 600 });
    }
}
