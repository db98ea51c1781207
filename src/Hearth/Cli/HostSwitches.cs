namespace Hearth.Cli;

/// <summary>
/// Settings for the server given on its command line, as ASP.NET Core reads them: `--Hearth:EditWindow=00:30:00`,
/// `--Logging:LogLevel:Default Warning`, `--AllowedHosts=example.org`, `--environment Development`. They are taken out
/// before the commands are parsed, so the parser can refuse everything else it does not know instead of starting a
/// server with it. A setting is told from an option by its name: settings are written as in appsettings.json (a
/// section path, or a name starting with a capital letter) or are one of the host's own; Hearth's options are
/// lower-case words.
/// </summary>
public static class HostSwitches
{
    /// <summary>Hosting settings without a section (a colon) in their name that a server may be given.</summary>
    static readonly HashSet<string> HostKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "environment", "contentRoot", "applicationName", "http_ports", "https_ports",
    };

    public static (List<string> Switches, List<string> Others) Split(IReadOnlyList<string> args)
    {
        var switches = new List<string>();
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                rest.AddRange(args.Skip(i));
                break;
            }
            if (!IsSwitch(arg))
            {
                rest.Add(arg);
                continue;
            }
            switches.Add(arg);
            // "--Name value": the value is the next word, unless that is a switch or option itself.
            if (!arg.Contains('=') && i + 1 < args.Count && !args[i + 1].StartsWith('-'))
            {
                switches.Add(args[++i]);
            }
        }
        return (switches, rest);
    }

    static bool IsSwitch(string arg)
    {
        if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length < 3)
        {
            return false;
        }
        var name = arg[2..].Split('=', 2)[0];
        return name.Length > 0 && (name.Contains(':') || char.IsUpper(name[0]) || HostKeys.Contains(name));
    }
}
