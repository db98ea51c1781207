using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Hearth.Tests.Accounts;
using MimeKit;
using Xunit.Abstractions;

namespace Hearth.Tests.Processes;

/// <summary>
/// Every `hearth ...` line of the ```sh blocks in README.md and docs/*.md runs, as written and in the order written,
/// against one fresh data folder, and succeeds. A block may be preceded by a marker:
/// `&lt;!-- example: not run, REASON --&gt;` leaves it out (the reason must be given and is printed by the test), and
/// `&lt;!-- example: after EMAIL signs up --&gt;` first makes an account for that address the way a person does: the
/// sign-up form of a running server, then the link from the e-mail in the outbox.
/// </summary>
public partial class DocumentedCommandsTests(ITestOutputHelper log)
{
    [Fact]
    public async Task EveryHearthCommandInTheReadmeAndDocsRunsAsWritten()
    {
        using var data = new DataFolder();
        var environment = new Dictionary<string, string> { ["HEARTH_DATA"] = data.Path };
        HearthProcess? server = null;
        var ran = new List<string>();
        try
        {
            foreach (var block in Blocks())
            {
                if (block.Marker is { } marker && NotRun().Match(marker) is { Success: true } skip)
                {
                    log.WriteLine($"Not run ({block.Source}): {skip.Groups[1].Value.Trim()}");
                    continue;
                }
                if (block.Marker is { } needs && SignsUp().Match(needs) is { Success: true } person)
                {
                    server ??= await HearthProcess.StartAsync(data.Path);
                    await SignUpAsync(server, person.Groups[1].Value);
                }
                foreach (var line in block.Lines)
                {
                    if (HearthArguments(line) is not { } args)
                    {
                        continue;
                    }
                    var run = await HearthCommand.RunAsync(args, environment, input: null);
                    Assert.True(run.ExitCode == 0, $"{block.Source}: `{line}` failed:\n{run}");
                    ran.Add(string.Join(' ', args));
                }
            }
        }
        finally
        {
            server?.Dispose();
        }

        // The examples the docs rely on, so a change in how blocks are found cannot pass by running nothing.
        foreach (var expected in new[] { "sites add", "sites list", "sites set", "sites sso", "sites rename", "sites remove", "users grant" })
        {
            Assert.Contains(ran, command => command.StartsWith(expected, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void CommandLinesAreSplitAsAShellSplitsThem()
    {
        Assert.Equal<string>(["sites", "sso", "my-shop"], HearthArguments("hearth sites sso my-shop            # {\"site\": \"my-shop\"}")!);
        Assert.Equal<string>(["sites", "set", "my-blog", "--banned-words", "casino, free money"],
            HearthArguments("hearth sites set my-blog --banned-words \"casino, free money\"")!);
        Assert.Equal<string>(["sites", "list"], HearthArguments("scripts/hearth sites list")!);
        Assert.Equal<string>(["sites", "list"], HearthArguments("dotnet run --project src/Hearth -- sites list")!);
        Assert.Null(HearthArguments("dotnet run --project src/Hearth"));
        Assert.Null(HearthArguments("scripts/test"));
        Assert.Throws<InvalidOperationException>(() => HearthArguments("hearth"));
        Assert.Throws<InvalidOperationException>(() => HearthArguments("hearth export --site demo > demo.json"));
    }

    sealed record Block(string Source, string? Marker, IReadOnlyList<string> Lines);

    static IEnumerable<Block> Blocks()
    {
        var root = RepositoryRoot();
        var files = new[] { Path.Combine(root, "README.md") }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Trim() != "```sh")
                {
                    continue;
                }
                var marker = Enumerable.Range(0, i).Reverse().Select(j => lines[j].Trim()).FirstOrDefault(l => l.Length > 0);
                var body = new List<string>();
                var start = i + 1;
                while (++i < lines.Length && lines[i].Trim() != "```")
                {
                    // A line ending in a backslash goes on on the next one.
                    if (body.Count > 0 && body[^1].EndsWith('\\'))
                    {
                        body[^1] = body[^1][..^1] + " " + lines[i].Trim();
                    }
                    else
                    {
                        body.Add(lines[i].Trim());
                    }
                }
                yield return new Block($"{Path.GetFileName(file)}:{start}", marker?.StartsWith("<!-- example:", StringComparison.Ordinal) == true ? marker : null, body);
            }
        }
    }

    /// <summary>The arguments of a line that runs the hearth command, or null for any other line (dotnet run, scripts/test).</summary>
    static string[]? HearthArguments(string line)
    {
        var words = ShellWords(line).ToArray();
        string[] rest = words switch
        {
            ["hearth" or "scripts/hearth", .. var after] => after,
            ["dotnet", "run", "--project", "src/Hearth", "--", .. var after] => after,
            _ => null!,
        };
        if (rest is null)
        {
            return null;
        }
        if (rest.Length == 0 || rest[0] == "serve" || rest[0].StartsWith('-'))
        {
            throw new InvalidOperationException($"`{line}` starts a server, which does not end: mark its block '<!-- example: not run, ... -->'.");
        }
        return rest;
    }

    /// <summary>Words as sh splits them: quotes group, # outside quotes starts a comment; pipes and redirections are refused.</summary>
    static List<string> ShellWords(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in line)
        {
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
                continue;
            }
            if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else if (c == '#' && !inWord)
            {
                break;
            }
            else if (c is '|' or '>' or '<' or ';' or '&' or '$' or '`')
            {
                throw new InvalidOperationException($"`{line}` needs a shell ({c}); the examples this test runs are single commands.");
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (inWord)
        {
            words.Add(word.ToString());
        }
        return words;
    }

    /// <summary>An account for the address, confirmed through the link of the e-mail that lands in the outbox.</summary>
    static async Task SignUpAsync(HearthProcess server, string email)
    {
        using var handler = new HttpClientHandler { UseCookies = true, AllowAutoRedirect = false };
        var browser = new Browser(new HttpClient(handler) { BaseAddress = server.Address });
        await browser.SignUpAsync(email, email.Split('@')[0], "a long enough passphrase");
        var message = await Outbox.WaitForAsync(server.DataDirectory, email, "Confirm");
        var root = server.Address.GetLeftPart(UriPartial.Authority);
        var link = MailCatcher.Link(message, root + "/account/confirm");
        Assert.Contains("Your address is confirmed", await browser.GetAsync(link[root.Length..]));
    }

    internal static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Hearth.slnx")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No Hearth.slnx above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^<!-- example: not run, (.+\S) -->$")]
    private static partial Regex NotRun();

    [GeneratedRegex(@"^<!-- example: after (\S+@\S+) signs up -->$")]
    private static partial Regex SignsUp();
}

/// <summary>The .eml files a server without SMTP writes to outbox/ in its data folder.</summary>
public static class Outbox
{
    public static async Task<MimeMessage> WaitForAsync(string dataDirectory, string to, string subject)
    {
        var folder = Path.Combine(dataDirectory, "outbox");
        var waiting = Stopwatch.StartNew();
        while (waiting.Elapsed < TimeSpan.FromSeconds(30))
        {
            var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml") : [];
            Array.Sort(files, StringComparer.Ordinal);
            foreach (var file in files)
            {
                MimeMessage message;
                try
                {
                    message = await MimeMessage.LoadAsync(file);
                }
                catch (IOException)
                {
                    continue; // still being written
                }
                if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase))
                    && (message.Subject ?? "").Contains(subject, StringComparison.OrdinalIgnoreCase))
                {
                    return message;
                }
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"No e-mail \"{subject}\" to {to} in {folder}.");
    }
}
