using Hearth.Sites;
using Hearth.Storage;

namespace Hearth.Portability;

/// <summary>
/// A site's export as a download from its settings page, for its owners and admins: the same file as
/// <c>hearth export</c> (docs/export.md), read in one read-only transaction. It holds the addresses guests gave, so each
/// download is in the site's log. One export is written at a time per node: a site of a million comments takes
/// minutes of reading, and a second owner waits rather than doubling it. The file is written whole to a private file
/// first and sent from there, so the database's snapshot ends when the reading does, not when the slowest browser has
/// taken the last byte (an open snapshot keeps SQLite's log from being reset and PostgreSQL's vacuum from cleaning).
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
        // The one being written counts among those being sent: it is a file on the disk from its first byte.
        if (!slot.Sending.Wait(0))
        {
            return Busy(http, "Exports are being sent", $"This server is sending {ExportSlot.MostSent} exports right now. Try again in a minute.");
        }
        try
        {
            if (!await slot.Gate.WaitAsync(TimeSpan.Zero, ct))
            {
                return Busy(http, "An export is being written", "Another export is being written on this server right now. Try again in a minute.");
            }
            var found = member!.Site;
            var now = clock.GetUtcNow().UtcDateTime;
            FileStream written;
            try
            {
                db.AuditLog.Add(new Moderation.AuditEntry
                {
                    SiteId = found.Id, ActorUserId = member.UserId, ActorName = member.Name, Action = "export", Target = $"site {found.Name}",
                    After = file, At = now,
                });
                await db.SaveChangesAsync(ct);
                written = slot.NewFile();
                try
                {
                    await using var snapshot = await ExportSnapshot.BeginAsync(db, ct);
                    if (format == "json")
                    {
                        await JsonExport.WriteAsync(db, found, written, now, ct);
                    }
                    else
                    {
                        await DisqusExport.WriteAsync(db, found, written, all, ct);
                    }
                }
                catch
                {
                    await written.DisposeAsync();
                    throw;
                }
            }
            finally
            {
                slot.Gate.Release();
            }
            await using (written)
            {
                http.Response.ContentType = format == "json" ? "application/json; charset=utf-8" : "application/xml; charset=utf-8";
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"{found.Name}-{now:yyyy-MM-dd}-{file}\"";
                http.Response.Headers.CacheControl = "no-store";
                http.Response.ContentLength = written.Length;
                written.Position = 0;
                await written.CopyToAsync(http.Response.Body, ct);
            }
            return TypedResults.Empty;
        }
        finally
        {
            slot.Sending.Release();
        }
    }

    static IResult Busy(HttpContext http, string title, string text)
    {
        http.Response.Headers.RetryAfter = "60";
        return Accounts.AccountHtml.Page(http, title, $"<p>{text}</p>", status: 429);
    }
}

/// <summary>
/// The one export this node writes at a time, and the few it sends at once: each one being sent is a file as large as
/// the site's export, so a browser that starts many downloads and reads none gets no more room on the disk than this.
/// </summary>
public sealed class ExportSlot(Microsoft.Extensions.Options.IOptions<HearthOptions> options)
{
    public const int MostSent = 4;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    public SemaphoreSlim Sending { get; } = new(MostSent, MostSent);

    /// <summary>
    /// A new file in the data folder's private exports folder, open for writing and reading, that nothing else can
    /// open: on Linux its name is gone as soon as it is open (nothing is left behind if the server stops), elsewhere
    /// it is deleted when closed.
    /// </summary>
    public FileStream NewFile()
    {
        var folder = Storage.PrivateFolder.Ensure(Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "exports"));
        var path = Path.Combine(folder.FullName, $"{Guid.NewGuid():N}.part");
        var made = new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.Delete, BufferSize = 1 << 16,
            Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            made.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        var file = new FileStream(path, made);
        if (!OperatingSystem.IsWindows())
        {
            File.Delete(path);
        }
        return file;
    }
}
