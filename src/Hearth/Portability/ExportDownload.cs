using Hearth.Sites;
using Hearth.Storage;

namespace Hearth.Portability;

/// <summary>
/// A site's export as a download from its settings page, for its owners and admins: the same file as
/// <c>hearth export</c> (docs/export.md), read in one read-only transaction and streamed as it is read. It holds the
/// addresses guests gave, so each download is in the site's log. One export at a time per node: a site of a million
/// comments takes minutes of reading, and a second owner waits rather than doubling it.
/// </summary>
public static class ExportDownload
{
    public static void MapExportDownload(this IEndpointRouteBuilder app)
    {
        app.MapGet("/account/moderate/{site}/export/{file}", DownloadAsync).ExcludeFromDescription();
    }

    static async Task<IResult> DownloadAsync(HttpContext http, string site, string file, HearthDb db, TimeProvider clock, ExportSlot slot,
        CancellationToken ct)
    {
        var (format, all) = file switch
        {
            "hearth.json" => ("json", false),
            "disqus.xml" => ("disqus", false),
            "disqus-all.xml" => ("disqus", true),
            _ => ((string?)null, false),
        };
        if (format is null)
        {
            return Accounts.AccountHtml.Page(http, "Not found", "<p>There is no such export: hearth.json, disqus.xml or disqus-all.xml.</p>", status: 404);
        }
        var (member, refusal) = await ConsoleAccess.RequireAsync(http, site, db, owner: true, "settings", ct);
        if (refusal is not null)
        {
            return refusal;
        }
        if (!await slot.Gate.WaitAsync(TimeSpan.Zero, ct))
        {
            http.Response.Headers.RetryAfter = "60";
            return Accounts.AccountHtml.Page(http, "An export is being written",
                "<p>Another export is being written on this server right now. Try again in a minute.</p>", status: 429);
        }
        try
        {
            var found = member!.Site;
            var now = clock.GetUtcNow().UtcDateTime;
            db.AuditLog.Add(new Moderation.AuditEntry
            {
                SiteId = found.Id, ActorUserId = member.UserId, ActorName = member.Name, Action = "export", Target = $"site {found.Name}",
                After = file, At = now,
            });
            await db.SaveChangesAsync(ct);
            await using var snapshot = await ExportSnapshot.BeginAsync(db, ct);
            http.Response.ContentType = format == "json" ? "application/json; charset=utf-8" : "application/xml; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{found.Name}-{now:yyyy-MM-dd}-{file}\"";
            http.Response.Headers.CacheControl = "no-store";
            if (format == "json")
            {
                await JsonExport.WriteAsync(db, found, http.Response.Body, now, ct);
            }
            else
            {
                await DisqusExport.WriteAsync(db, found, http.Response.Body, all, ct);
            }
            return TypedResults.Empty;
        }
        finally
        {
            slot.Gate.Release();
        }
    }
}

/// <summary>The one export this node writes at a time.</summary>
public sealed class ExportSlot
{
    public SemaphoreSlim Gate { get; } = new(1, 1);
}
