using System.CommandLine;
using Hearth.Cli;
using Hearth.Sites;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Portability;

/// <summary>hearth import FORMAT FILE --site NAME: one subcommand per format Hearth reads (<see cref="ImportFormats"/>).</summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var import = new Command("import", "Import the comments of another system's export file into a site; running it again adds nothing twice.");
        foreach (var format in ImportFormats.All)
        {
            import.Subcommands.Add(For(format));
        }
        return import;
    }

    static Command For(IImportFormat format)
    {
        var file = new Argument<FileInfo>("file") { Description = $"The {format.Name} export ({(format is XmlImportFormat ? "XML" : "JSON")})." };
        var site = new Option<string>("--site") { Description = "The site to import into.", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Read and resolve everything, print what would happen, write nothing to the site." };
        var maps = new Option<string[]>("--map")
        {
            Description = "OLD=NEW: page addresses starting with OLD start with NEW instead (repeatable), e.g. https://old.example/=https://new.example/.",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var mapFile = new Option<FileInfo?>("--map-file") { Description = "A CSV file of old,new address prefixes, one pair a line." };
        var command = new Command(format.Name, $"Import a {format.Name} export.") { file, site, dryRun, maps, mapFile, CliHost.DataOption() };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, output) =>
        {
            var map = new UrlMap();
            foreach (var rule in parse.GetValue(maps) ?? [])
            {
                if (map.Add(rule) is { } wrong)
                {
                    return output.Fail(wrong);
                }
            }
            if (parse.GetValue(mapFile) is { } csv)
            {
                if (!csv.Exists)
                {
                    return output.Fail($"There is no map file at {csv.FullName}.");
                }
                using var reader = csv.OpenText();
                if (map.AddFile(reader) is { } wrong)
                {
                    return output.Fail($"{csv.Name}: {wrong}");
                }
            }
            var input = parse.GetValue(file)!;
            if (!input.Exists)
            {
                return output.Fail($"There is no file at {input.FullName}.");
            }
            var siteName = parse.GetValue(site)!;
            var db = services.GetRequiredService<HearthDb>();
            var target = await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Name == siteName, ct);
            if (target is null)
            {
                return output.Fail(SitesCommands.NoSuchSite(siteName));
            }
            using var signals = new StopSignals(ct);
            var stopping = signals.Token;
            await using var stream = new FileStream(input.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            var request = new ImportRequest(target.Id, format, map, parse.GetValue(dryRun)) { Origin = target.Origins.FirstOrDefault() };
            if (await StartJobAsync(db, services.GetRequiredService<TimeProvider>(), target.Id, format, input, request.DryRun, ct) is not { } job)
            {
                return output.Fail($"An import into site '{siteName}' is going on (from its settings page or another command): wait for its summary, then import again.");
            }
            var beat = new ImportJobBeat(services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ImportCommand)), job.Id);
            // The first beat says where the run is, not the server's "waiting for another import".
            beat.Report(new ImportProgress("reading", 0, 0));
            using var beating = new CancellationTokenSource();
            var heartbeat = beat.BeatAsync(beating.Token);
            var (status, said, error) = (ImportJob.Failed, (string?)null, (string?)"The command stopped before the import's end (its output says why). Import the same file again: it goes on where this one stopped, and nothing is imported twice.");
            try
            {
                var summary = await ImportProgressView.RunAsync(progress =>
                {
                    beat.Also = progress;
                    return services.GetRequiredService<CommentImport>().RunAsync(request, stream, beat, announce: null, stopping, job.RunId);
                });
                (status, said, error) = (ImportJob.Succeeded, string.Join('\n', summary.Lines()), null);
                foreach (var line in summary.Lines())
                {
                    Console.Out.WriteLine(line);
                }
                return 0;
            }
            catch (ImportFileException e)
            {
                error = $"{e.Message}. Nothing was imported.";
                return output.Fail($"{input.Name}: {error}");
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return output.Fail("The import was stopped; what it had staged is taken back, and what it had written stays. Import the same file again to go on: nothing is imported twice.");
            }
            finally
            {
                await beating.CancelAsync();
                await heartbeat;
                await beat.FinishAsync(status, said, error);
            }
        }, ct));
        return command;
    }

    /// <summary>
    /// The run as the site's settings page lists it, and as the sweep finds what it staged if this process is killed;
    /// also the site's one import going on, held by the database's index against an upload or another command.
    /// </summary>
    static async Task<ImportJob?> StartJobAsync(HearthDb db, TimeProvider clock, long siteId, IImportFormat format, FileInfo input, bool dryRun,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await ImportUploads.MarkStoppedAsync(db, siteId, now, ct);
        var job = new ImportJob
        {
            SiteId = siteId, Format = format.Name, FileName = input.Name.Length <= 200 ? input.Name : input.Name[..ImportFileException.CutAt(input.Name, 200)],
            Bytes = input.Length, DryRun = dryRun, StartedAt = now, UpdatedAt = now, Status = ImportJob.Running, Phase = "reading",
        };
        db.ImportJobs.Add(job);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return null;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
        return job;
    }
}
