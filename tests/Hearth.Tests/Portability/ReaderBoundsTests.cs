using System.Text;
using Hearth.Conversations;
using Hearth.Portability;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using static Hearth.Tests.Portability.ImportFiles;

namespace Hearth.Tests.Portability;

/// <summary>
/// What a reader's own work and memory may grow with: the length of what it reads, never its square, and nothing it
/// keeps from one record to the next beyond what staging could use.
/// </summary>
public class ReaderBoundsTests(HearthApp app, ITestOutputHelper output) : IClassFixture<HearthApp>
{
    static string WordPressComment(string content) => $"""
        <?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
        <item><title>Code</title><link>https://blog.example/code/</link><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>
        <wp:status>publish</wp:status><wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt><wp:comment_status>open</wp:comment_status>
        <wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_author>Reader</wp:comment_author>
        <wp:comment_date_gmt>2020-01-02 00:00:00</wp:comment_date_gmt><wp:comment_approved>1</wp:comment_approved>
        <wp:comment_content><![CDATA[{content}]]></wp:comment_content></wp:comment></item></channel></rss>
        """;

    static string Html(string content) => Read(new WordPressFormat(), WordPressComment(content)).OfType<ImportedComment>().Single().Html;

    /// <summary>Bytes the reading thread allocated to read the comment: unlike time, the same on every run and machine.</summary>
    static long AllocatedReading(string content)
    {
        var xml = WordPressComment(content);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var html = Read(new WordPressFormat(), xml).OfType<ImportedComment>().Single().Html;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("<p>" + content + "</p>", html);
        return allocated;
    }

    [Fact]
    public void AWordPressCommentOfManyPreBlocksIsReadWithWorkThatGrowsAsItsLengthDoes()
    {
        static string Blocks(int count) => string.Concat(Enumerable.Repeat("<pre></pre>", count));
        // The first reading pays for what is made once (the expressions' state, the reader's buffers).
        AllocatedReading(Blocks(100));

        var ten = AllocatedReading(Blocks(10_000));
        var twenty = AllocatedReading(Blocks(20_000));

        output.WriteLine($"10,000 blocks: {ten:N0} bytes allocated; 20,000 blocks: {twenty:N0} bytes allocated");
        // Twice the blocks, twice the work: putting each block back by rewriting the whole comment made it four times.
        Assert.True(twenty < 2.6 * ten, $"{ten:N0} bytes for 10,000 blocks, {twenty:N0} for 20,000");
        Assert.True(twenty < 500L * 20_000 * "<pre></pre>".Length, $"{twenty:N0} bytes for a comment of {20_000 * "<pre></pre>".Length:N0} characters");
    }

    [Fact]
    public void PreBlocksComeBackWhereTheyStoodWhateverTheirNumberCaseOrParagraph()
    {
        // More than ten blocks, so place markers of one digit and of two meet; one wrapped in a paragraph of its own,
        // which loses that paragraph as before.
        var content = "Intro\n\n<pre>a\n\n  b</pre>\n\nInline <pre class=\"x\">c</pre> and\n<PRE>D\n</PRE>\n\n<p><pre>e</pre></p>\n\n"
            + string.Concat(Enumerable.Range(1, 12).Select(i => $"<pre>{i}</pre>")) + "\n\nEnd <pre>\n13</pre>";

        Assert.Equal(
            "<p>Intro</p>\n<pre>a\n\n  b</pre>\n<p>Inline <pre class=\"x\">c</pre> and<br />\n<PRE>D\n</PRE></p>\n<pre>e</pre>\n<p>"
            + string.Concat(Enumerable.Range(1, 12).Select(i => $"<pre>{i}</pre>")) + "</p>\n<p>End <pre>\n13</pre></p>",
            Html(content));
    }

    const string Blog = "tag:blogger.com,1999:blog-9";

    static string BloggerEntry(string id, string type, string inside = "") => $"""
          <entry>
            <id>{id}</id>
            <blogger:type>{type}</blogger:type>
            <blogger:status>LIVE</blogger:status>
            <author><name>Reader</name></author>
            <content type='html'>&lt;p&gt;Hello&lt;/p&gt;</content>
            <published>2019-02-03T04:00:00Z</published>
            {inside}
          </entry>
        """;

    static string BloggerFeed(IEnumerable<string> entries) => $"""
        <?xml version='1.0' encoding='utf-8'?>
        <feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
          <id>{Blog}</id>
          <title>A Takeout blog</title>
          <link rel='alternate' type='text/html' href='https://blog.example/'/>
        {string.Concat(entries)}
        </feed>
        """;

    /// <summary>An id Blogger could not have written: no number to cut it to, so it is as long as the file makes it.</summary>
    internal static string Unnumbered(char letter, int length, int n) => new string(letter, length) + string.Concat(n.ToString().Select(d => (char)('a' + d - '0')));

    [Fact]
    public async Task BloggerRecordsWithIdsTooLongToStageAreSkippedAsSuchAndTheRestImportAsBefore()
    {
        var site = await app.CreateSiteAsync();
        var longTitle = "  A page  about\n\t" + new string('x', 286) + "   and\n more words after the cut  ";
        var longPath = "/p/" + new string('u', 3_000) + ".html";
        var file = BloggerFeed(
        [
            BloggerEntry($"{Blog}.post-10", "POST", "<title>Kept</title><blogger:filename>/2019/02/kept.html</blogger:filename>"),
            BloggerEntry($"{Blog}.post-11", "COMMENT", $"<blogger:parent>{Blog}.post-10</blogger:parent>"),
            BloggerEntry($"{Blog}.post-12", "COMMENT", $"<blogger:parent>{Unnumbered('p', 5_000, 12)}</blogger:parent>"),
            BloggerEntry($"{Blog}.post-13", "COMMENT", $"<blogger:parent>{Blog}.post-10</blogger:parent><blogger:inReplyTo>{Unnumbered('r', 5_000, 13)}</blogger:inReplyTo>"),
            // A page named by an id too long to keep, after a comment on it.
            BloggerEntry($"{Blog}.post-14", "COMMENT", $"<blogger:parent>{Unnumbered('q', 5_000, 14)}</blogger:parent>"),
            BloggerEntry(Unnumbered('q', 5_000, 14), "PAGE", "<title>Unnumbered</title><blogger:filename>/p/unnumbered.html</blogger:filename>"),
            // Pages that wait for their comments, one with a title longer than a thread's, one at an address longer than any.
            BloggerEntry($"{Blog}.post-20", "PAGE", $"<title>{longTitle}</title><blogger:filename>/p/long-title.html</blogger:filename>"),
            BloggerEntry($"{Blog}.post-30", "PAGE", $"<title>Far</title><blogger:filename>{longPath}</blogger:filename>"),
            BloggerEntry($"{Blog}.post-21", "COMMENT", $"<blogger:parent>{Blog}.post-20</blogger:parent>"),
            BloggerEntry($"{Blog}.post-31", "COMMENT", $"<blogger:parent>{Blog}.post-30</blogger:parent>"),
        ]);

        var summary = await app.ImportAsync(site, file, format: "blogger");

        Assert.Equal((2, 2L), (summary.ThreadsCreated, summary.CommentsImported));
        Assert.Equal(
            [("id too long", 4L), ("no thread", 1L), ("thread without address", 1L)],
            summary.Skipped.Select(s => (s.Key, s.Value)));
        var title = await app.InDatabaseAsync(db => db.Threads.Where(t => t.Url == "https://blog.example/p/long-title.html" && db.Sites.Any(s => s.Id == t.SiteId && s.Name == site))
            .Select(t => t.Title).SingleAsync());
        // As a thread's title always was cut: cleaned first, then cut, a space at the cut kept.
        Assert.Equal(TextRules.CleanName(longTitle)[..CommentInput.MaxTitleLength], title);
        Assert.EndsWith("x ", title);
    }

    /// <summary>A thread's title as staging makes it.</summary>
    static string? Staged(string? title)
    {
        var clean = title is null ? null : TextRules.CleanName(title);
        return clean is { Length: > CommentInput.MaxTitleLength } ? clean[..CommentInput.MaxTitleLength] : clean;
    }

    [Fact]
    public void AWaitingBloggerPageKeepsOnlyTheTitleStagingWouldMakeOfIt()
    {
        string[] titles =
        [
            "  A page  about\n\t" + new string('x', 286) + "   and\n more words after the cut  ",
            new string('x', 299) + "😀 a pair of surrogates split by the cut",
            new string('x', 300) + "😀 a pair of surrogates just after the cut",
            "  " + string.Join("   ", Enumerable.Repeat("word", 80)),
            new string(' ', 400) + "Short once cleaned",
            new string('x', CommentInput.MaxTitleLength + 1),
        ];

        foreach (var title in titles)
        {
            var page = Read(new BloggerFormat(), BloggerFeed(
            [
                BloggerEntry($"{Blog}.post-20", "PAGE", $"<title>{title}</title><blogger:filename>/p/page.html</blogger:filename>"),
                BloggerEntry($"{Blog}.post-21", "COMMENT", $"<blogger:parent>{Blog}.post-20</blogger:parent>"),
            ])).OfType<ImportedThread>().Single();

            Assert.True(page.Title!.Length <= CommentInput.MaxTitleLength + 2, $"{page.Title.Length} characters kept");
            Assert.Equal(Staged(title), Staged(page.Title));
        }
    }
}

[Collection(ImportStreamingCollection.Name)]
public class BloggerReaderMemoryTests(ITestOutputHelper output)
{
    const int Each = 50;
    const int Chars = 100_000;
    const long MaxLiveGrowth = 4 * 1024 * 1024;

    static byte[] Export()
    {
        // Each kind of record alone would have kept ten megabytes or more until the end of the file: comments naming
        // posts by ids with no number to cut them to, pages with such ids, and pages with very long titles and addresses.
        var entries = new StringBuilder("""
            <?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:blogger="http://schemas.google.com/blogger/2018">
            <link rel="alternate" type="text/html" href="https://blog.example/"/>
            """);
        for (var i = 0; i < Each; i++)
        {
            entries.Append($"<entry><id>tag:blogger.com,1999:blog-1.post-{1_000 + i}</id><blogger:parent>{ReaderBoundsTests.Unnumbered('p', Chars, i)}</blogger:parent>")
                .Append("<blogger:type>COMMENT</blogger:type><published>2020-01-02T03:04:05Z</published><content type='html'>Hi</content></entry>\n");
            entries.Append($"<entry><id>{ReaderBoundsTests.Unnumbered('q', Chars, i)}</id><blogger:type>PAGE</blogger:type><blogger:status>LIVE</blogger:status>")
                .Append("<title>Page</title><published>2020-01-01T00:00:00Z</published><blogger:filename>/p/page.html</blogger:filename></entry>\n");
            entries.Append($"<entry><id>tag:blogger.com,1999:blog-1.post-{5_000 + i}</id><blogger:type>PAGE</blogger:type><blogger:status>LIVE</blogger:status>")
                .Append($"<title>{new string('t', Chars)}{i}</title><published>2020-01-01T00:00:00Z</published>")
                .Append($"<blogger:filename>/p/{new string('f', Chars)}{i}.html</blogger:filename></entry>\n");
        }
        entries.Append("""
            <entry><id>tag:blogger.com,1999:blog-1.post-999999</id><blogger:type>POST</blogger:type><blogger:status>LIVE</blogger:status>
            <title>Last</title><published>2020-01-01T00:00:00Z</published><blogger:filename>/last.html</blogger:filename></entry></feed>
            """);
        return Encoding.UTF8.GetBytes(entries.ToString());
    }

    [Fact]
    public void ABloggerReaderKeepsNoMoreOfCommentsAndWaitingPagesThanStagingCouldUse()
    {
        var bytes = Export();
        var baseline = LiveHeap();
        long? growth = null;
        var records = 0;
        using (var stream = new MemoryStream(bytes))
        using (var reader = ImportXml.Open(stream))
        {
            foreach (var record in new BloggerFormat().Read(reader))
            {
                records++;
                // The last entry: what the reader keeps for pages listed later is all still held.
                if (record is ImportedThread { SourceId: "999999" })
                    growth = LiveHeap() - baseline;
            }
        }

        output.WriteLine($"file {bytes.Length / 1024 / 1024} MiB, {records} records, live heap grew by {growth / 1024} KiB");
        Assert.NotNull(growth);
        Assert.True(growth < MaxLiveGrowth, $"the live heap grew by {growth:N0} bytes while reading a {bytes.Length:N0}-byte file");
    }

    static long LiveHeap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
