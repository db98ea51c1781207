using System.Text;
using Hearth.Portability;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Portability;

/// <summary>What one import may cost the instance, whatever its file holds and whatever else the database is doing.</summary>
public class ImportBoundsTests(HearthApp app) : IClassFixture<HearthApp>
{
    /// <summary>Reports as they are made, on the reporting thread (Progress&lt;T&gt; would post them later).</summary>
    sealed class Reports : IProgress<ImportProgress>
    {
        public List<ImportProgress> All { get; } = [];

        public void Report(ImportProgress value)
        {
            lock (All)
            {
                All.Add(value);
            }
        }
    }

    static string File(string prefix, IEnumerable<string> messages)
    {
        var file = new StringBuilder($"""
            <?xml version="1.0" encoding="utf-8"?>
            <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
            <thread dsq:id="{prefix}"><id></id><link>https://blog.example/{prefix}</link><title>Long</title></thread>
            """);
        var i = 0;
        foreach (var message in messages)
        {
            file.Append($"""<post dsq:id="{prefix}{i++}"><message><![CDATA[<p>{message}</p>]]></message><createdAt>2016-02-03T04:05:06Z</createdAt>""")
                .Append($"""<author><name>Writer</name></author><thread dsq:id="{prefix}" /></post>""").Append('\n');
        }
        return file.Append("</disqus>").ToString();
    }

    static string Words(int chars) => string.Concat(Enumerable.Repeat("a long old comment ", chars / 19));

    [Fact]
    public async Task AFileOfVeryLongCommentsIsReadInBatchesBoundedByTheirText()
    {
        // Each message near the longest field a file may have: 2,000 of them in one batch would be gigabytes.
        const int Comments = 12;
        var message = Words(900_000);
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var reports = new Reports();

        var summary = await app.ImportAsync(site, File("huge", Enumerable.Repeat(message, Comments)), map: new(), progress: reports);

        var batches = reports.All.Count(r => r.Phase == "reading" && r.Done > 0);
        var most = (int)Math.Ceiling((double)ImportStaging.BatchChars / message.Length);
        Assert.True(batches >= Comments / most, $"{batches} batches for {Comments} comments of {message.Length:N0} characters");
        Assert.Equal(Comments, summary.Skipped["too long"]);
        Assert.Equal(0, summary.CommentsImported);
    }

    [Fact]
    public async Task ACommentLongerThanTenOfTheFormsLongestIsSkippedAndSaidSo()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var kept = Words(ImportStaging.MaxHtmlChars - 100);

        var summary = await app.ImportAsync(site, File("longest", [kept, Words(ImportStaging.MaxHtmlChars + 100), "Short and kept"]), map: new());

        Assert.Equal(2, summary.CommentsImported);
        Assert.Equal(1, summary.Skipped["too long"]);
        Assert.Contains("Skipped (too long): 1", summary.Lines());
        var stored = await app.InDatabaseAsync(db => db.Comments.Where(c => c.ImportId != null && c.ImportId.StartsWith("longest"))
            .OrderBy(c => c.ImportId).Select(c => c.Html.Length).ToListAsync());
        Assert.Equal(2, stored.Count);
        Assert.True(stored[0] > ImportStaging.MaxHtmlChars - 200, $"{stored[0]} characters kept");
    }

    [PostgresFact("the statistics are PostgreSQL's, and so is the lock a vacuum takes")]
    public async Task AnImportGoesOnWhileTheCommentsTableIsBeingVacuumed()
    {
        // More comments than one chunk, so the import asks PostgreSQL to learn about them again part of the way.
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        await using var scope = app.Services.CreateAsyncScope();
        var vacuum = scope.ServiceProvider.GetRequiredService<HearthDb>();
        await using var holding = await vacuum.Database.BeginTransactionAsync();
        // The lock a vacuum or an analysis of the table holds while it runs.
        await vacuum.Database.ExecuteSqlRawAsync("""LOCK TABLE "Comments" IN SHARE UPDATE EXCLUSIVE MODE""");

        var summary = await app.ImportAsync(site, DisqusFiles.Many("vacuumed", 2_600, 2), map: new());

        Assert.Equal(5_200, summary.CommentsImported);
        await holding.RollbackAsync();
    }
}
