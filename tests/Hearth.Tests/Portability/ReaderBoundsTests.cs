using Hearth.Portability;
using Xunit.Abstractions;
using static Hearth.Tests.Portability.ImportFiles;

namespace Hearth.Tests.Portability;

/// <summary>
/// What a reader's own work may grow with: the length of what it reads, never its square.
/// </summary>
public class ReaderBoundsTests(ITestOutputHelper output)
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
}
