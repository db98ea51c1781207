using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Tests.Accounts;

namespace Hearth.Tests.Processes;

public class UsersCliTests
{
    [Fact]
    public async Task AnOwnerSignsUpWithoutAnyMailServerAndIsGivenAndDeniedRolesFromTheCommandLine()
    {
        using var data = new DataFolder();
        Assert.Equal(0, (await HearthCommand.RunAsync("sites", "add", "shop", "--origin", "https://shop.example", "--data", data.Path)).ExitCode);
        using var server = await HearthProcess.StartAsync(data.Path);
        using var handler = new HttpClientHandler { UseCookies = true, AllowAutoRedirect = false };
        var browser = new Browser(new HttpClient(handler) { BaseAddress = server.Address });
        const string email = "owner@shop.example";
        await browser.SignUpAsync(email, "Sam Owner", "a long enough passphrase");

        // With no SMTP server configured the message goes to the log (JSON lines), where the operator finds the link.
        var waiting = Stopwatch.StartNew();
        Match link;
        while (!(link = Regex.Match(server.Output, "http://127\\.0\\.0\\.1:\\d+(/account/confirm\\?[^\\s\"]+?)(\\\\n|\\s|\")")).Success
               && waiting.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(100);
        }
        Assert.True(link.Success, server.Output);
        var path = JsonSerializer.Deserialize<string>("\"" + link.Groups[1].Value + "\"")!;
        Assert.Contains("Your address is confirmed", await browser.GetAsync(path));

        var grant = await HearthCommand.RunAsync("users", "grant", email, "--site", "shop", "--role", "moderator", "--data", data.Path);
        Assert.True(grant.ExitCode == 0, grant.ToString());
        var granted = JsonDocument.Parse(grant.Stdout).RootElement;
        Assert.Equal("shop", granted.GetProperty("site").GetString());
        Assert.Equal("moderator", granted.GetProperty("role").GetString());
        var admin = await HearthCommand.RunAsync("users", "grant", email.ToUpperInvariant(), "--role", "admin", "--data", data.Path);
        Assert.True(JsonDocument.Parse(admin.Stdout).RootElement.GetProperty("admin").GetBoolean(), admin.ToString());
        var revoke = await HearthCommand.RunAsync("users", "revoke", email, "--site", "shop", "--role", "moderator", "--data", data.Path);
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(revoke.Stdout).RootElement.GetProperty("role").ValueKind);
        var again = await HearthCommand.RunAsync("users", "revoke", email, "--site", "shop", "--role", "moderator", "--data", data.Path);
        Assert.True(again.ExitCode == 0, again.ToString());
        // Each change of role is in the log (an admin's, which reaches every site, for the whole instance); a revoke
        // that changes nothing is not.
        var log = AuditRows.Read(data.DatabasePath);
        var person = log[0].Target;
        Assert.Matches("^user [0-9]+ \\(Sam Owner\\)$", person);
        Assert.Equal(
            [new AuditRow("shop", "command line", "grant", person, "none", "moderator"),
             new AuditRow(null, "command line", "grant", person, "none", "admin"),
             new AuditRow("shop", "command line", "revoke", person, "moderator", "none")],
            log);

        foreach (var (args, message) in new[]
        {
            (new[] { "grant", "nobody@shop.example", "--site", "shop", "--role", "owner" }, "No account has the address 'nobody@shop.example'"),
            (new[] { "grant", email, "--role", "owner" }, "owner is a role on one site: add --site NAME."),
            (new[] { "grant", email, "--site", "shop", "--role", "admin" }, "admin is a role on the whole instance"),
            (new[] { "grant", email, "--site", "nowhere", "--role", "owner" }, "There is no site named 'nowhere'"),
        })
        {
            var refused = await HearthCommand.RunAsync(["users", .. args, "--data", data.Path]);
            Assert.True(refused.ExitCode == 1, refused.ToString());
            Assert.Contains(message, refused.Stderr);
            Assert.Equal("", refused.Stdout);
        }
        var unknownRole = await HearthCommand.RunAsync("users", "grant", email, "--site", "shop", "--role", "king", "--data", data.Path);
        Assert.NotEqual(0, unknownRole.ExitCode);
    }
}
