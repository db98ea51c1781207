using System.CommandLine;
using System.CommandLine.Parsing;

namespace Hearth.Cli;

/// <summary>
/// A command line Hearth cannot act on: what is wrong, then the help of the command it got as far as (which lists
/// what may follow), all on stderr so nothing lands in a file that stdout is going to.
/// </summary>
public static class CliUsage
{
    /// <summary>Exit code for a command line that was not understood (1 is a command that ran and failed).</summary>
    public const int ExitCode = 2;

    public static int Fail(ParseResult parse, IEnumerable<string> messages)
    {
        foreach (var message in messages)
        {
            Console.Error.WriteLine($"hearth: {message}");
        }
        Console.Error.WriteLine();
        WriteHelp(parse, Console.Error);
        return ExitCode;
    }

    /// <summary>A group such as `hearth sites` given without one of its commands.</summary>
    public static int MissingCommand(ParseResult parse)
    {
        var names = string.Join(", ", parse.CommandResult.Command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
        return Fail(parse, [$"'{Path(parse.CommandResult)}' needs one of its commands: {names}."]);
    }

    public static string Path(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? at = result; at is CommandResult command; at = at.Parent)
        {
            names.Insert(0, command.Command.Name);
        }
        return string.Join(' ', names);
    }

    /// <summary>The help of the command the parse reached, as --help would print it, to the given writer.</summary>
    static void WriteHelp(ParseResult parse, TextWriter to)
    {
        var path = new List<string>();
        for (SymbolResult? at = parse.CommandResult; at is CommandResult { Parent: not null } command; at = at.Parent)
        {
            path.Insert(0, command.Command.Name);
        }
        var root = parse.RootCommandResult.Command;
        root.Parse([.. path, "--help"]).Invoke(new InvocationConfiguration { Output = to, Error = to });
    }
}
