using Hearth.Accounts;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hearth.Portability;

/// <summary>What the page polls for an import: where it is, then its summary or what stopped it.</summary>
public sealed record ImportJobResponse(long Id, string FileName, string Format, bool DryRun, string Status, string Phase, long Done, long Total,
    IReadOnlyList<string> Summary, string? Error, DateTime StartedAt, DateTime? FinishedAt);

/// <summary>
/// An import from the site's settings page, for its owners and admins: the page sends the export file as the request's
/// body (with the page's anti-forgery token in a header, so no form is buffered), this node keeps it in its data folder
/// and runs <c>hearth import</c>'s import on it in the background (<see cref="ImportRunner"/>), and the page polls the
/// run. One import going on per site (the database's index says so, across nodes), two files arriving at once per node,
/// each within <see cref="UploadTime"/>; files up to <see cref="HearthOptions.MaxImportBytes"/>.
/// </summary>
public static class ImportUploads
{
    public static void MapImportUploads(this IEndpointRouteBuilder app)
    {
        var limit = app.ServiceProvider.GetRequiredService<IOptions<HearthOptions>>().Value.MaxImportBytes;
        var imports = app.MapGroup("/account/moderate/{site}/imports").ExcludeFromDescription();
        imports.MapPost("", UploadAsync).AddEndpointFilter<RequireAntiforgery>().RequireRateLimiting(RateLimits.AccountActions)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(limit));
        imports.MapGet("/{id:long}", StatusAsync);
    }

    /// <summary>How long a file may take to arrive: a sender slower than this holds one of the node's two upload places no longer.</summary>
    public static readonly TimeSpan UploadTime = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The slowest a file may arrive on average once it has had <see cref="UploadGrace"/>: a sender that trickles a few
    /// bytes a second (or none) gives up its place in minutes, not after <see cref="UploadTime"/>, so two such senders
    /// cannot keep every other site of the node from importing.
    /// </summary>
    public const int SlowestUploadBytesPerSecond = 32 * 1024;

    public static readonly TimeSpan UploadGrace = TimeSpan.FromMinutes(1);

    const string StoppedMessage = "The server that was importing this file stopped. Import the same file again: nothing is imported twice.";

    static async Task<IResult> UploadAsync(HttpContext http, string site, [FromQuery] string? format, [FromQuery] string? dryRun, [FromQuery] string[]? map,
        [FromQuery] string? name, HearthDb db, ImportRunner runner, TimeProvider clock, IOptions<HearthOptions> options, CancellationToken ct)
    {
        var (member, refusal) = await ConsoleAccess.RequireAsync(http, site, db, owner: true, "settings", ct);
        if (refusal is not null)
        {
            return refusal;
        }
        if (ImportFormats.Find(format ?? "") is not { } chosen)
        {
            return Problems.Invalid("format", "choose disqus, wordpress, blogger or hearth.");
        }
        var rules = new UrlMap();
        foreach (var rule in map ?? [])
        {
            if (!string.IsNullOrWhiteSpace(rule) && rules.Add(rule.Trim()) is { } wrong)
            {
                return Problems.Invalid("map", wrong);
            }
        }
        if (!runner.Uploads.Wait(0))
        {
            http.Response.Headers.RetryAfter = "60";
            return Problems.Of(StatusCodes.Status429TooManyRequests, "import_busy", "This server is receiving other import files. Try again in a few minutes.");
        }
        var target = member!.Site;
        var began = clock.GetUtcNow();
        // Set going before the run is written, so a test's clock moved once the run is seen always reaches it.
        using var behind = new CancellationTokenSource(UploadGrace, clock);
        ImportJob? job = null;
        var started = false;
        var path = "";
        try
        {
            var now = clock.GetUtcNow().UtcDateTime;
            // A run whose node went silent no longer holds the site.
            await MarkStoppedAsync(db, target.Id, now, ct);
            var fileName = Path.GetFileName(name ?? "").Trim();
            job = new ImportJob
            {
                SiteId = target.Id, Format = chosen.Name, FileName = fileName.Length is > 0 and <= 200 ? fileName : "export.xml",
                DryRun = dryRun is "1" or "true" or "on", StartedByUserId = member.UserId, StartedAt = now, UpdatedAt = now,
                Status = ImportJob.Uploading, Phase = "receiving the file",
            };
            db.ImportJobs.Add(job);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // The site's one import going on, held by the database's index whichever node took it.
                db.ChangeTracker.Clear();
                job = null;
                return Problems.Of(StatusCodes.Status409Conflict, "import_running", "An import into this site is going on: wait for its summary, then start the next.");
            }
            path = runner.PathFor(job);
            using var late = new CancellationTokenSource(UploadTime, clock);
            using var arriving = CancellationTokenSource.CreateLinkedTokenSource(ct, late.Token, behind.Token);
            var bytes = await ReceiveAsync(http.Request.Body, path, job.Id, db, clock, (began, behind), arriving.Token);
            if (bytes == 0)
            {
                return Problems.Invalid("file", "the file is empty: choose the export file.");
            }
            job.Bytes = bytes;
            job.Status = ImportJob.Running;
            job.Phase = "waiting for another import on this server";
            job.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            db.AuditLog.Add(new Moderation.AuditEntry
            {
                SiteId = target.Id, ActorUserId = member.UserId, ActorName = member.Name, Action = job.DryRun ? "import-dry-run" : "import",
                Target = $"site {target.Name}", After = $"{chosen.Name}: {job.FileName} ({bytes} bytes)", At = job.UpdatedAt,
            });
            await db.SaveChangesAsync(ct);
            runner.Start(job.Id, job.RunId, new ImportRequest(target.Id, chosen, rules, job.DryRun) { Origin = target.Origins.FirstOrDefault() }, path);
            started = true;
            return TypedResults.Accepted($"/account/moderate/{Uri.EscapeDataString(target.Name)}/imports/{job.Id}", Response(job, job.UpdatedAt));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, "request_too_large",
                $"The file is larger than the {options.Value.MaxImportBytes / (1024 * 1024)} MB this server takes (Hearth:MaxImportBytes); hearth import on the server takes any size.");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Problems.Of(StatusCodes.Status408RequestTimeout, "upload_too_slow",
                $"The file arrived slower than {SlowestUploadBytesPerSecond / 1024} KB a second, or took longer than {UploadTime.TotalMinutes} minutes. " +
                "Try again on a faster connection, or use hearth import on the server.");
        }
        finally
        {
            if (!started)
            {
                if (path.Length > 0)
                {
                    File.Delete(path);
                }
                if (job is not null)
                {
                    await db.ImportJobs.Where(j => j.Id == job.Id).ExecuteDeleteAsync(CancellationToken.None);
                }
            }
            runner.Uploads.Release();
        }
    }

    /// <summary>
    /// Writes the body to the file, saying every few seconds that it is still arriving (so the run is not taken for
    /// dead), and moving the moment at which <paramref name="pace"/>'s source gives up to when the bytes so far would
    /// fall below the slowest average allowed.
    /// </summary>
    static async Task<long> ReceiveAsync(Stream body, string path, long jobId, HearthDb db, TimeProvider clock,
        (DateTimeOffset Began, CancellationTokenSource Behind) pace, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        var buffer = new byte[1 << 16];
        var said = clock.GetUtcNow();
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            await file.WriteAsync(buffer.AsMemory(0, read), ct);
            var due = pace.Began + TimeSpan.FromSeconds(Math.Max(UploadGrace.TotalSeconds, (double)file.Length / SlowestUploadBytesPerSecond));
            pace.Behind.CancelAfter(TimeSpan.FromTicks(Math.Max(0, (due - clock.GetUtcNow()).Ticks)));
            if (clock.GetUtcNow() - said > TimeSpan.FromSeconds(10))
            {
                said = clock.GetUtcNow();
                var (now, bytes) = (said.UtcDateTime, file.Length);
                await db.ImportJobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(j => j.SetProperty(x => x.UpdatedAt, now).SetProperty(x => x.Done, bytes), ct);
            }
        }
        return file.Length;
    }

    /// <summary>Runs of the site (of every site, with null) whose node has been silent too long: failed, and saying why.</summary>
    public static Task<int> MarkStoppedAsync(HearthDb db, long? siteId, DateTime now, CancellationToken ct)
    {
        var silentSince = now - ImportJob.Silence;
        return db.ImportJobs
            .Where(j => (siteId == null || j.SiteId == siteId) && (j.Status == ImportJob.Uploading || j.Status == ImportJob.Running) && j.UpdatedAt < silentSince)
            .ExecuteUpdateAsync(j => j.SetProperty(x => x.Status, ImportJob.Failed).SetProperty(x => x.Phase, ImportJob.Failed)
                .SetProperty(x => x.Error, StoppedMessage).SetProperty(x => x.FinishedAt, now), ct);
    }

    static async Task<IResult> StatusAsync(HttpContext http, string site, long id, HearthDb db, TimeProvider clock, CancellationToken ct)
    {
        var (member, refusal) = await ConsoleAccess.RequireAsync(http, site, db, owner: true, "settings", ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var job = await db.ImportJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id && j.SiteId == member!.Site.Id, ct);
        if (job is null)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "no_import", "There is no such import of this site.");
        }
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(Response(job, clock.GetUtcNow().UtcDateTime));
    }

    public static ImportJobResponse Response(ImportJob job, DateTime now)
    {
        var status = job.StatusAt(now);
        return new ImportJobResponse(job.Id, job.FileName, job.Format, job.DryRun, status, job.Phase, job.Done, job.Total,
            job.Summary?.Split('\n') ?? [],
            status == "stopped" ? StoppedMessage : job.Error,
            job.StartedAt, job.FinishedAt);
    }
}
