using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Tests.Accounts;

namespace Hearth.Tests.Processes;

/// <summary>What a server prints and keeps for the person running it: its log, and the e-mails it could not send.</summary>
public class ServerOutputTests
{
    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task WithoutAMailServerTheConfirmationLandsInTheOutboxAndItsLinkStandsOnALineOfTheReadableLog()
    {
        using var data = new DataFolder();
        if (!OperatingSystem.IsWindows())
        {
            // A keys folder (where older versions kept their keys) someone made open to everyone: the server closes it.
            Directory.CreateDirectory(Path.Combine(data.Path, "keys"), OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        using var server = await HearthProcess.StartAsync(data.Path);
        var browser = NewBrowser(server);
        const string email = "ines@mail.example";

        using var signUp = await browser.SubmitAsync("/account/signup", "/account/signup", ("email", email), ("name", "Ines"), ("password", "a long enough passphrase"));
        var page = await signUp.Content.ReadAsStringAsync();
        Assert.Contains("Check your inbox", page);
        Assert.Contains("This Hearth has no mail server configured yet, so e-mails are not sent: each one is written, as an .eml file, to the outbox folder", page);

        var message = await Outbox.WaitForAsync(data.Path, email, "Confirm");
        var root = server.Address.GetLeftPart(UriPartial.Authority);
        var link = MailCatcher.Link(message, root + "/account/confirm?user=");
        Assert.Contains("&code=", link);
        Assert.Contains("Your address is confirmed", await browser.GetAsync(link[root.Length..]));

        // The log is text for a person: the address it listens on and the link each on a line of their own, with a
        // real "&" in the link, and no JSON.
        var lines = await LinesAsync(server, l => l.Trim() == link);
        Assert.Contains(lines, l => l.Trim() == $"Now listening on: {root}");
        Assert.Contains(lines, l => l.Contains("No mail server is configured (Hearth:Mail:Host), so this e-mail was not sent; it is in "
            + Path.Combine(data.Path, "outbox"), StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith('{'));
        Assert.DoesNotContain("\\u0026", server.Output);

        using var forgot = await browser.SubmitAsync("/account/forgot", "/account/forgot", ("email", "nobody@mail.example"));
        var forgotPage = await forgot.Content.ReadAsStringAsync();
        Assert.Contains("Check your inbox", forgotPage);
        Assert.Contains("This Hearth has no mail server configured yet", forgotPage);

        if (!OperatingSystem.IsWindows())
        {
            // The outbox holds links that sign people in, and an old keys/ the keys that protect secrets: the owner's only.
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(data.Path, "outbox")));
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(data.Path, "keys")));
        }
    }

    [Fact]
    public async Task WithJsonConfiguredEveryLineIsJsonAndTheLinkKeepsItsAmpersand()
    {
        using var data = new DataFolder();
        using var server = await HearthProcess.StartAsync(data.Path, new Dictionary<string, string> { ["Logging__Console__FormatterName"] = "json" });
        const string email = "jo@mail.example";
        await NewBrowser(server).SignUpAsync(email, "Jo", "a long enough passphrase");
        var link = MailCatcher.Link(await Outbox.WaitForAsync(data.Path, email, "Confirm"), server.Address.GetLeftPart(UriPartial.Authority) + "/account/confirm");

        var lines = await LinesAsync(server, l => l.Contains(link, StringComparison.Ordinal));

        foreach (var line in lines.Where(l => l.Length > 0))
        {
            using var entry = JsonDocument.Parse(line);
            Assert.True(entry.RootElement.TryGetProperty("Timestamp", out _), line);
        }
        var mail = lines.Single(l => l.Contains(link, StringComparison.Ordinal));
        Assert.Contains("&code=", mail);
        Assert.Contains(link, JsonDocument.Parse(mail).RootElement.GetProperty("Message").GetString());
    }

    [Fact]
    public async Task TheFirstCommentEverPostedRaisesNoQueryWarning()
    {
        using var data = new DataFolder();
        using var server = await HearthProcess.StartAsync(data.Path,
            new Dictionary<string, string> { ["Logging__LogLevel__Microsoft.AspNetCore.HttpLogging"] = "Information" });

        using var post = await server.Client.PostAsJsonAsync("/api/v1/sites/demo/comments", new
        {
            url = "http://localhost:8080/demo", identifier = "hearth-demo",
            body = "My first comment here, long enough to be compared with the comments of the last day",
            author = new { name = "Nia" },
        });
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);

        // The request's own log line comes after anything its queries logged.
        var lines = await LinesAsync(server, l => l.Contains("Path: /api/v1/sites/demo/comments", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("OrderBy", StringComparison.Ordinal));
    }

    static Browser NewBrowser(HearthProcess server) =>
        new(new HttpClient(new HttpClientHandler { UseCookies = true, AllowAutoRedirect = false }) { BaseAddress = server.Address });

    /// <summary>The server's output lines once one of them matches, waiting a while for the child's output to arrive.</summary>
    static async Task<string[]> LinesAsync(HearthProcess server, Func<string, bool> arrived)
    {
        var waiting = Stopwatch.StartNew();
        string[] lines;
        while (!(lines = server.Output.Split('\n')).Any(arrived) && waiting.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }
        Assert.True(lines.Any(arrived), $"The expected line never came. Output:\n{server.Output}");
        return lines;
    }
}
