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

    [Fact]
    public async Task ADisqusFieldLongerThanAnyCommentCouldBeStopsTheImportRatherThanBeingHeld()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var before = await app.FootprintAsync();
        var file = File("field", ["short", new string('x', ImportReading.MaxFieldChars + 10)]);

        var error = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, file, map: new()));

        Assert.Contains("longer than 1,000,000 characters", error.Message);
        Assert.True(error.Line > 1, $"line {error.Line}");
        Assert.Equal(before, await app.FootprintAsync());
    }

    [Fact]
    public async Task ADisqusFieldWithMarkupInsideStopsTheImportAtItsPlace()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var file = File("markup", ["fine"]).Replace("<name>Writer</name>", "<name>Writer <b>bold</b></name>");

        var error = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, file, map: new()));

        Assert.Contains("Expected text, found markup", error.Message);
    }

    [Fact]
    public async Task SkipReasonsAFileNamesItselfAreShortPlainAndFew()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var file = new StringBuilder("""
            <?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
            <item><title>Post</title><link>https://blog.example/typed/</link><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>
            <wp:status>publish</wp:status><wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt><wp:comment_status>open</wp:comment_status>
            """);
        const int Comments = 60;
        for (var i = 0; i < Comments; i++)
        {
            // Each its own type, long, with a character that turns text around on a terminal.
            file.Append($"<wp:comment><wp:comment_id>{i}</wp:comment_id><wp:comment_type>plugin\u202e{i}{new string('t', 5_000)}</wp:comment_type>")
                .Append($"<wp:comment_author>Reader</wp:comment_author><wp:comment_date_gmt>2020-01-02 00:00:00</wp:comment_date_gmt>")
                .Append("<wp:comment_approved>1</wp:comment_approved><wp:comment_content>Hello</wp:comment_content></wp:comment>\n");
        }
        // After them, a comment skipped for one of Hearth's own reasons: it is counted under its own name, not as "other".
        file.Append("<wp:comment><wp:comment_id>trashed</wp:comment_id><wp:comment_author>Reader</wp:comment_author>")
            .Append("<wp:comment_date_gmt>2020-01-02 00:00:00</wp:comment_date_gmt><wp:comment_approved>trash</wp:comment_approved>")
            .Append("<wp:comment_content>Gone</wp:comment_content></wp:comment>");
        file.Append("</item></channel></rss>");

        var summary = await app.ImportAsync(site, file.ToString(), map: new(), format: "wordpress");

        Assert.Equal(1, summary.Skipped["deleted"]);
        var named = summary.Skipped.Where(r => r.Key != "deleted").ToList();
        Assert.Equal(Comments, named.Sum(r => r.Value));
        Assert.True(named.Count <= 17, $"{named.Count} reasons named by the file");
        Assert.Contains("other", summary.Skipped.Keys);
        Assert.All(named, reason => Assert.Matches("^[A-Za-z0-9 ._?-]{1,40}$", reason.Key));
    }
}
