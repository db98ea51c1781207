using Hearth.Sites;
using Hearth.Storage;

namespace Hearth.Portability;

/// <summary>
/// A site's export as a download from its settings page, for its owners and admins: the same file as
/// <c>hearth export</c> (docs/export.md), read in one read-only transaction. It holds the addresses guests gave, so each
/// download is in the site's log. One export is written at a time per node: a site of a million comments takes
/// minutes of reading, and a second owner waits rather than doubling it. The export is written into a private file at
/// the database's pace and sent from that file at the browser's, beginning at once (a proxy waiting minutes for a first
/// byte would give up): the snapshot ends when the reading does, not when the slowest browser has taken the last byte
/// (an open snapshot keeps SQLite's log from being reset and PostgreSQL's vacuum from cleaning).
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
        var found = member!.Site;
        // The one being written counts among those being sent: it is a file on the disk from its first byte.
        if (!slot.Sending.Wait(0))
        {
            return Busy(http, "Exports are being sent", $"This server is sending {ExportSlot.MostSent} exports right now. Try again in a minute.");
        }
        var sitesSlot = false;
        var gate = false;
        ExportFile? written = null;
        Task writing = Task.CompletedTask;
        // The writing stops with the request, and also when sending fails for a reason of its own.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            if (!(sitesSlot = slot.SitesSending.TryAdd(found.Id, 0)))
            {
                return Busy(http, "This site's export is being sent", "An export of this site is being sent from this server right now. Try again once it has arrived.");
            }
            if (!(gate = await slot.Gate.WaitAsync(TimeSpan.Zero, ct)))
            {
                return Busy(http, "An export is being written", "Another export is being written on this server right now. Try again in a minute.");
            }
            var now = clock.GetUtcNow().UtcDateTime;
            db.AuditLog.Add(new Moderation.AuditEntry
            {
                SiteId = found.Id, ActorUserId = member.UserId, ActorName = member.Name, Action = "export", Target = $"site {found.Name}",
                After = file, At = now,
            });
            await db.SaveChangesAsync(ct);
            written = slot.NewFile();
            gate = false;
            writing = WriteAsync(db, found, format, all, now, written.Writer, slot, stop.Token);

            http.Response.ContentType = format == "json" ? "application/json; charset=utf-8" : "application/xml; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{found.Name}-{now:yyyy-MM-dd}-{file}\"";
            http.Response.Headers.CacheControl = "no-store";
            var buffer = new byte[1 << 16];
            while (true)
            {
                // Whether the writing had ended is read before the file: a read of nothing after that is the end.
                var ended = writing.IsCompleted;
                var read = await written.Reader.ReadAsync(buffer, ct);
                if (read > 0)
                {
                    await http.Response.Body.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                else if (ended)
                {
                    await writing;
                    break;
                }
                else
                {
                    await Task.WhenAny(writing, Task.Delay(50, ct));
                }
            }
            return TypedResults.Empty;
        }
        finally
        {
            try
            {
                if (gate)
                {
                    slot.Gate.Release();
                }
                // The writing uses this request's database context: it ends before the request does.
                if (!writing.IsCompleted)
                {
                    await stop.CancelAsync();
                }
                await writing.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                if (written is not null)
                {
                    // A write that failed (a full disk) leaves bytes in the writer's buffer that closing tries again.
                    try
                    {
                        await written.DisposeAsync();
                    }
                    catch (IOException)
                    {
                    }
                }
            }
            finally
            {
                if (sitesSlot)
                {
                    slot.SitesSending.TryRemove(found.Id, out _);
                }
                slot.Sending.Release();
            }
        }
    }

    /// <summary>The export into the file, in its snapshot; the node's writing place is free again as soon as it ends.</summary>
    static async Task WriteAsync(HearthDb db, Sites.Site site, string format, bool all, DateTime now, FileStream into, ExportSlot slot, CancellationToken ct)
    {
        try
        {
            await using (await ExportSnapshot.BeginAsync(db, ct))
            {
                if (format == "json")
                {
                    await JsonExport.WriteAsync(db, site, into, now, ct);
                }
                else
                {
                    await DisqusExport.WriteAsync(db, site, into, all, ct);
                }
            }
            await into.FlushAsync(ct);
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    static IResult Busy(HttpContext http, string title, string text)
    {
        http.Response.Headers.RetryAfter = "60";
        return Accounts.AccountHtml.Page(http, title, $"<p>{text}</p>", status: 429);
    }
}

/// <summary>
/// The one export this node writes at a time, and the few it sends at once, one per site: each one being sent is a
/// file as large as the site's export, so a browser that starts many downloads and reads none gets no more room on
/// the disk than this.
/// </summary>
public sealed class ExportSlot(Microsoft.Extensions.Options.IOptions<HearthOptions> options)
{
    public const int MostSent = 4;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    public SemaphoreSlim Sending { get; } = new(MostSent, MostSent);

    public System.Collections.Concurrent.ConcurrentDictionary<long, byte> SitesSending { get; } = new();

    /// <summary>
    /// A new file in the data folder's private exports folder, open for writing and for reading as it grows, that
    /// nothing else can open: on Linux and macOS its name is gone once both are open (so nothing is left behind if the
    /// server stops, and any name still there was left by a server that stopped between the two), elsewhere it is
    /// deleted when closed.
    /// </summary>
    public ExportFile NewFile()
    {
        var folder = Storage.PrivateFolder.Ensure(Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "exports"));
        var unix = !OperatingSystem.IsWindows();
        if (unix)
        {
            foreach (var left in folder.EnumerateFiles("*.part"))
            {
                left.Delete();
            }
        }
        var path = Path.Combine(folder.FullName, $"{Guid.NewGuid():N}.part");
        var made = new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.Read | FileShare.Delete, BufferSize = 1 << 16,
            Options = unix ? FileOptions.Asynchronous : FileOptions.Asynchronous | FileOptions.DeleteOnClose,
        };
        if (unix)
        {
            made.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        var writer = new FileStream(path, made);
        FileStream? reader = null;
        try
        {
            reader = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete, BufferSize = 0,
                Options = FileOptions.Asynchronous,
            });
            if (unix)
            {
                File.Delete(path);
            }
            return new ExportFile(writer, reader);
        }
        catch
        {
            reader?.Dispose();
            writer.Dispose();
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // The error that stopped the opening is the one to report; the next export removes a name left here.
            }
            throw;
        }
    }
}

/// <summary>The two ends of an export's file: the export writes into one, the download reads from the other.</summary>
public sealed record ExportFile(FileStream Writer, FileStream Reader) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Reader.DisposeAsync();
        }
        finally
        {
            await Writer.DisposeAsync();
        }
    }
}
