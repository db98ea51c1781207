using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Tests.Identity;

namespace Hearth.Tests.Processes;

public class SsoCliTests
{
    [Fact]
    public async Task SitesSsoPrintsTheSameSecretUntilRotatedAndRefusesAnUnknownSite()
    {
        using var data = new DataFolder();
        Assert.Equal(0, (await HearthCommand.RunAsync("sites", "add", "shop", "--origin", "https://shop.example", "--data", data.Path)).ExitCode);

        var first = await HearthCommand.RunAsync("sites", "sso", "shop", "--data", data.Path);
        var again = await HearthCommand.RunAsync("sites", "sso", "shop", "--data", data.Path);
        var rotated = await HearthCommand.RunAsync("sites", "sso", "shop", "--rotate", "--data", data.Path);
        var unknown = await HearthCommand.RunAsync("sites", "sso", "nowhere", "--data", data.Path);

        Assert.True(first.ExitCode == 0, first.ToString());
        var printed = JsonDocument.Parse(first.Stdout).RootElement;
        Assert.Equal("shop", printed.GetProperty("site").GetString());
        var secret = printed.GetProperty("ssoSecret").GetString()!;
        Assert.StartsWith("hsso_", secret);
        Assert.True(secret.Length >= 40);
        Assert.Equal(secret, JsonDocument.Parse(again.Stdout).RootElement.GetProperty("ssoSecret").GetString());
        Assert.NotEqual(secret, JsonDocument.Parse(rotated.Stdout).RootElement.GetProperty("ssoSecret").GetString());
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("hearth: There is no site named 'nowhere'", unknown.Stderr);
        Assert.Equal("", unknown.Stdout);
        // The database holds the secret encrypted, never as printed.
        foreach (var file in new[] { data.DatabasePath, data.DatabasePath + "-wal" }.Where(File.Exists))
        {
            Assert.DoesNotContain(secret, await ReadSharedAsync(file));
        }
        // Making and replacing the secret are in the site's log: when, and from where; printing it again is not a change.
        var log = AuditRows.Read(data.DatabasePath);
        Assert.Equal(
            [new AuditRow("shop", "command line", "sso-secret", "site shop", "none", "a new secret"),
             new AuditRow("shop", "command line", "sso-secret", "site shop", "a secret", "a new secret")],
            log);
    }

    [Fact]
    public async Task RotatingTheSecretWhileTheServerRunsEndsTokensAndSessionsMadeWithTheOldOne()
    {
        using var data = new DataFolder();
        Assert.Equal(0, (await HearthCommand.RunAsync("sites", "add", "shop", "--origin", "https://shop.example", "--data", data.Path)).ExitCode);
        var old = Secret(await HearthCommand.RunAsync("sites", "sso", "shop", "--data", data.Path));
        using var server = await HearthProcess.StartAsync(data.Path);
        var oldToken = Token(old);
        var accessToken = await server.Client.AccessTokenAsync("shop", oldToken);

        var fresh = Secret(await HearthCommand.RunAsync("sites", "sso", "shop", "--rotate", "--data", data.Path));

        using var oldSignIn = await server.Client.SignInAsync("shop", oldToken);
        Assert.Equal(HttpStatusCode.Unauthorized, oldSignIn.StatusCode);
        Assert.Equal("sso_bad_signature", (await oldSignIn.ProblemAsync()).GetProperty("code").GetString());
        using var oldSession = await server.Client.PostAsMemberAsync("shop", accessToken,
            new { url = "https://shop.example/boots", body = "Still signed in?" });
        Assert.Equal(HttpStatusCode.Unauthorized, oldSession.StatusCode);
        var newAccess = await server.Client.AccessTokenAsync("shop", Token(fresh));
        using var post = await server.Client.PostAsMemberAsync("shop", newAccess, new { url = "https://shop.example/boots", body = "Signed in again." });
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
    }

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

    static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
