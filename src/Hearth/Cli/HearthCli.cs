using System.CommandLine;
using System.CommandLine.Help;
using Hearth.Sites;

namespace Hearth.Cli;

/// <summary>
/// One executable, several commands. With no command (or "serve") it runs the server. Server settings written as
/// configuration switches (--Hearth:Name=value, --environment NAME) go to the server; anything else the parser does
/// not know is a mistake, answered with the help of the command on stderr and exit code 2, never with a server.
/// </summary>
public static class HearthCli
{
    public static Task<int> Run(string[] args, Func<string[], Task<int>> serve)
    {
        var (switches, rest) = HostSwitches.Split(args);
        var parse = Create(serve, switches).Parse(rest);
        if (parse.Errors.Count > 0)
        {
            return Task.FromResult(CliUsage.Fail(parse, parse.Errors.Select(e => e.Message).Distinct()));
        }
        if (switches.Count > 0 && parse.CommandResult.Command.Name is not ("hearth" or "serve"))
        {
            return Task.FromResult(CliUsage.Fail(parse,
                [$"'{Shown(switches[0])}' is a server setting: give it to hearth serve (commands take --data, or read HEARTH_DATA and HEARTH_DATABASE)."]));
        }
        // The server stops itself on SIGTERM and Ctrl+C (letting its leases go, ending live streams); the parser's own
        // handling would end the process two seconds later, or sooner, whatever the server was still doing.
        return parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    public static Command Create(Func<string[], Task<int>> serve, IReadOnlyList<string>? switches = null)
    {
        // A plain command rather than RootCommand, so help says "hearth" however the program was started
        // (dotnet Hearth.dll, the installed tool, scripts/hearth).
        var root = new Command("hearth", "Hearth: conversations for any web page, on your own server.")
        {
            new HelpOption(),
            new VersionOption(),
        };
        var serveCommand = new Command("serve",
            "Run the server (the default when no command is given). Settings may follow as --Hearth:Name=value (see docs/configuration.md).");
        foreach (var command in new[] { root, serveCommand })
        {
            var urls = new Option<string?>("--urls") { Description = "Addresses to listen on (default http://localhost:8080)." };
            var data = CliHost.DataOption();
            command.Options.Add(urls);
            command.Options.Add(data);
            command.SetAction((parse, _) =>
            {
                var args = new List<string>(switches ?? []);
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
        root.Subcommands.Add(Group(SitesCommands.Create()));
        root.Subcommands.Add(Group(Hearth.Identity.UsersCommands.Create()));
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(Storage.CopyToPostgres.Create());
        root.Subcommands.Add(Portability.ExportCommand.Create());
        root.Subcommands.Add(Storage.Backup.BackupCommands.Backup());
        root.Subcommands.Add(Storage.Backup.BackupCommands.Restore());
        root.Subcommands.Add(Group(Portability.ImportCommand.Create()));
        return root;
    }

    /// <summary>A switch as it may be repeated on screen: the value of a database address, password or secret is not.</summary>
    static string Shown(string switchText)
    {
        var name = switchText.Split('=', 2)[0];
        return switchText.Contains('=') && (name.EndsWith("Database", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("Password", StringComparison.OrdinalIgnoreCase) || name.EndsWith("Secret", StringComparison.OrdinalIgnoreCase))
            ? name + "=..."
            : switchText;
    }

    /// <summary>A group alone (`hearth sites`) shows what it holds instead of "Required command was not provided".</summary>
    static Command Group(Command group)
    {
        group.SetAction(parse => CliUsage.MissingCommand(parse));
        return group;
    }
}
