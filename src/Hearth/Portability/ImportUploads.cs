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
/// run. One import at a time per site and per node; files up to <see cref="HearthOptions.MaxImportBytes"/>.
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

    static async Task<IResult> UploadAsync(HttpContext http, string site, [FromQuery] string? format, [FromQuery] string? dryRun, [FromQuery] string[]? map,
        [FromQuery] string? name, HearthDb db,
        ImportRunner runner, TimeProvider clock, IOptions<HearthOptions> options, CancellationToken ct)
    {
        var (member, refusal) = await ConsoleAccess.RequireAsync(http, site, db, owner: true, "settings", ct);
        if (refusal is not null)
        {
            return refusal;
        }
        if (ImportFormats.Find(format ?? "") is not { } chosen)
        {
            return Problems.Invalid("format", "choose disqus, wordpress or blogger.");
        }
        var rules = new UrlMap();
        foreach (var rule in map ?? [])
        {
            if (!string.IsNullOrWhiteSpace(rule) && rules.Add(rule.Trim()) is { } wrong)
            {
                return Problems.Invalid("map", wrong);
            }
        }
        var target = member!.Site;
        var now = clock.GetUtcNow().UtcDateTime;
        var silentSince = now - ImportJob.Silence;
        if (await db.ImportJobs.AnyAsync(j => j.SiteId == target.Id && j.Status == ImportJob.Running && j.UpdatedAt > silentSince, ct))
        {
            return Problems.Of(StatusCodes.Status409Conflict, "import_running", "An import into this site is running: wait for its summary, then start the next.");
        }
        if (!runner.TryReserve())
        {
            http.Response.Headers.RetryAfter = "60";
            return Problems.Of(StatusCodes.Status429TooManyRequests, "import_busy", "This server is importing another file. Try again in a few minutes.");
        }
        var started = false;
        var folder = PrivateFolder.Ensure(Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "imports"));
        var path = Path.Combine(folder.FullName, $"{Guid.NewGuid():N}.upload");
        try
        {
            long bytes;
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                // Kestrel stops a body past the endpoint's limit, however it is sent (the announced length is checked before).
                await http.Request.Body.CopyToAsync(file, ct);
                bytes = file.Length;
            }
            if (bytes == 0)
            {
                return Problems.Invalid("file", "the file is empty: choose the export file.");
            }
            var fileName = Path.GetFileName(name ?? "").Trim();
            var job = new ImportJob
            {
                SiteId = target.Id, Format = chosen.Name, FileName = fileName.Length is > 0 and <= 200 ? fileName : "export.xml", Bytes = bytes,
                DryRun = dryRun is "1" or "true" or "on", StartedByUserId = member.UserId, StartedAt = now, UpdatedAt = now,
            };
            db.ImportJobs.Add(job);
            db.AuditLog.Add(new Moderation.AuditEntry
            {
                SiteId = target.Id, ActorUserId = member.UserId, ActorName = member.Name, Action = job.DryRun ? "import-dry-run" : "import",
                Target = $"site {target.Name}", After = $"{chosen.Name}: {job.FileName} ({bytes} bytes)", At = now,
            });
            await db.SaveChangesAsync(ct);
            runner.Start(job.Id, new ImportRequest(target.Id, chosen, rules, job.DryRun) { Origin = target.Origins.FirstOrDefault() }, path);
            started = true;
            return TypedResults.Accepted($"/account/moderate/{Uri.EscapeDataString(target.Name)}/imports/{job.Id}", Response(job, now));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, "request_too_large",
                $"The file is larger than the {options.Value.MaxImportBytes / (1024 * 1024)} MB this server takes (Hearth:MaxImportBytes); `hearth import` on the server takes any size.");
        }
        finally
        {
            if (!started)
            {
                File.Delete(path);
                runner.Release();
            }
        }
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
            status == "stopped" ? "The server that was importing this file stopped. Import the same file again: nothing is imported twice." : job.Error,
            job.StartedAt, job.FinishedAt);
    }
}
