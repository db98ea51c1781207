using System.CommandLine;
using Hearth.Cli;
using Hearth.Sites;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Portability;

/// <summary>hearth export --site NAME --format json|disqus: a site's conversations on stdout (docs/export.md).</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var site = new Option<string>("--site") { Description = "The site to export.", Required = true };
        var format = new Option<string>("--format")
        {
            Description = "json: everything the site holds, in Hearth's terms; disqus: a Disqus XML export, for another system.",
            Required = true,
        };
        format.AcceptOnlyFromAmong("json", "disqus");
        var all = new Option<bool>("--all")
        {
            Description = "disqus: also write comments waiting for a moderator and rejected ones, marked as spam (left out by default).",
        };
        var command = new Command("export", "Write a site's threads, comments and people to stdout, as JSON or a Disqus XML export.")
        {
            site, format, all, CliHost.DataOption(),
        };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, output) =>
        {
            var siteName = parse.GetValue(site)!;
            var chosen = parse.GetValue(format)!;
            if (parse.GetValue(all) && chosen != "disqus")
            {
                return output.Fail("--all is for --format disqus: the JSON export always holds every comment, with its status.");
            }
            var db = services.GetRequiredService<HearthDb>();
            await using var snapshot = await ExportSnapshot.BeginAsync(db, ct);
            if (await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Name == siteName, ct) is not { } found)
            {
                return output.Fail(SitesCommands.NoSuchSite(siteName));
            }
            await using var stdout = Console.OpenStandardOutput();
            if (chosen == "json")
            {
                await JsonExport.WriteAsync(db, found, stdout, services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, ct);
            }
            else
            {
                await DisqusExport.WriteAsync(db, found, stdout, parse.GetValue(all), ct);
            }
            return 0;
        }, ct));
        return command;
    }
}
