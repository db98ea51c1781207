using System.CommandLine;
using Hearth.Storage;

namespace Hearth.Cli;

/// <summary>
/// hearth migrate: brings the configured database (SQLite in the data folder, or Hearth:Database) up to this version
/// without serving, for deploy pipelines that migrate once before starting nodes. Prints each migration it applied.
/// </summary>
public static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate",
            "Apply the database migrations this version needs (SQLite in the data folder, or HEARTH_DATABASE), print them, and exit.")
        {
            CliHost.DataOption(),
        };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, prepareStorage: false, async (services, output) =>
        {
            var preparation = services.GetRequiredService<StoragePreparation>();
            var applied = await preparation.MigrateAsync(services.GetRequiredService<HearthDb>(), ct);
            foreach (var name in applied)
            {
                Console.Out.WriteLine($"Applied {name}");
            }
            Console.Error.WriteLine(applied.Count == 0
                ? "hearth: the database was already up to date."
                : $"hearth: applied {applied.Count} migration{(applied.Count == 1 ? "" : "s")}; the database is up to date.");
            return 0;
        }, ct));
        return command;
    }
}
