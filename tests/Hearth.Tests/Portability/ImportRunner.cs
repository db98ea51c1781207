using System.Text;
using Hearth.Live;
using Hearth.Portability;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Portability;

/// <summary>Runs an import inside a test server, as the server would: its moves go on the change bus.</summary>
public static class ImportRunner
{
    public static async Task<ImportSummary> ImportAsync(this HearthApp app, string site, string xml, bool dryRun = false, UrlMap? map = null,
        CancellationToken ct = default, IProgress<ImportProgress>? progress = null, string format = "disqus") =>
        await app.ImportAsync(site, Encoding.UTF8.GetBytes(xml), dryRun, map, ct, progress, format);

    /// <summary>The same, for a file as bytes (in another encoding than UTF-8, say).</summary>
    public static async Task<ImportSummary> ImportAsync(this HearthApp app, string site, byte[] bytes, bool dryRun = false, UrlMap? map = null,
        CancellationToken ct = default, IProgress<ImportProgress>? progress = null, string format = "disqus")
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var siteId = await services.GetRequiredService<HearthDb>().Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync(ct);
        using var file = new MemoryStream(bytes);
        var changes = services.GetRequiredService<ThreadChanges>();
        return await services.GetRequiredService<CommentImport>().RunAsync(
            new ImportRequest(siteId, ImportFormats.Find(format)!, map ?? OldToNew(), dryRun) { Origin = "https://blog.example" }, file, progress,
            changes.PublishAsync, ct);
    }

    /// <summary>The map the Everything file needs: its first thread lived on the old host.</summary>
    public static UrlMap OldToNew()
    {
        var map = new UrlMap();
        Assert.Null(map.Add("https://old.example/=https://blog.example/"));
        return map;
    }

    /// <summary>The staging files (SQLite) left in the instance's imports folder.</summary>
    public static string[] StagingFiles(HearthApp app)
    {
        var folder = Path.Combine(app.DataDirectory, "imports");
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*" + StagingArea.Extension) : [];
    }

    /// <summary>Rows of every table an import writes, to show one wrote nothing.</summary>
    public static Task<string> FootprintAsync(this HearthApp app) => app.InDatabaseAsync(async db =>
        string.Join(' ', await db.Threads.CountAsync(), await db.Comments.CountAsync(), await db.People.CountAsync(),
            await db.ThreadEvents.CountAsync(), await db.ImportRows.CountAsync(), await db.Threads.SumAsync(t => t.EventSeq),
            await db.Threads.SumAsync(t => t.CommentCount), StagingFiles(app).Length));
}
