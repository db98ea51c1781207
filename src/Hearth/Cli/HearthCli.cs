using System.CommandLine;
using System.CommandLine.Invocation;
using Hearth.Sites;

namespace Hearth.Cli;

/// <summary>
/// One executable, several commands. With no command (or "serve") it runs the server; anything the parser does not
/// recognise is handed to the web host, which is how hosting settings such as --environment still reach it.
/// </summary>
public static class HearthCli
{
    public static Task<int> Run(string[] args, Func<string[], Task<int>> serve)
    {
        var parse = Create(serve).Parse(args);
        if (parse.Action is ParseErrorAction error)
        {
            // Results go to stdout; a usage error must not pour the help text into someone's JSON file.
            error.ShowHelp = false;
        }
        return parse.InvokeAsync();
    }

    public static RootCommand Create(Func<string[], Task<int>> serve)
    {
        var root = new RootCommand("Hearth: conversations for any web page, on your own server.");
        var serveCommand = new Command("serve", "Run the server (the default when no command is given).");
        foreach (var command in new[] { (Command)root, serveCommand })
        {
            var urls = new Option<string?>("--urls") { Description = "Addresses to listen on (default http://localhost:8080)." };
            var data = CliHost.DataOption();
            command.Options.Add(urls);
            command.Options.Add(data);
            command.TreatUnmatchedTokensAsErrors = false;
            command.SetAction((parse, _) =>
            {
                var args = new List<string>(parse.UnmatchedTokens);
                if (parse.GetValue(urls) is { } u)
                {
                    args.Add($"--urls={u}");
                }
                if (parse.GetValue(data) is { } d)
                {
                    args.Add($"--{HearthOptions.Section}:{nameof(HearthOptions.DataDirectory)}={d}");
                }
                return serve([.. args]);
            });
        }
        root.Subcommands.Add(serveCommand);
        root.Subcommands.Add(SitesCommands.Create());
        root.Subcommands.Add(Hearth.Identity.UsersCommands.Create());
        return root;
    }
}
