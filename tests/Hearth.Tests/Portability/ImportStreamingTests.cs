using System.Text;
using Hearth.Portability;
using Xunit.Abstractions;

namespace Hearth.Tests.Portability;

[CollectionDefinition(Name, DisableParallelization = true)]
public class ImportStreamingCollection
{
    // Live-heap measurements are process-wide: nothing else may run beside them.
    public const string Name = "import streaming";
}

/// <summary>
/// A large export is read in memory that does not grow with the file: the live managed heap, measured after a full
/// collection at many points of the reading, stays a small fraction of the file's size.
/// </summary>
[Collection(ImportStreamingCollection.Name)]
public class ImportStreamingTests(ITestOutputHelper output)
{
    const int Comments = 200_000;
    const int CommentsPerPost = 20;
    const long MaxLiveGrowth = 8 * 1024 * 1024;

    [Fact]
    public void A_WordPress_export_of_200_000_comments_streams_in_bounded_memory()
    {
        using var file = new TempFile();
        using (var writer = new StreamWriter(file.Path, false, new UTF8Encoding(false)))
        {
            writer.Write("""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>""");
            for (var post = 0; post < Comments / CommentsPerPost; post++)
            {
                writer.Write($"<item><title>Post {post}</title><link>https://blog.example/{post}/</link><wp:post_id>{post}</wp:post_id>");
                writer.Write($"<wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt><wp:comment_status>open</wp:comment_status>\n");
                for (var i = 0; i < CommentsPerPost; i++)
                {
                    var id = post * CommentsPerPost + i;
                    writer.Write($"<wp:comment><wp:comment_id>{id}</wp:comment_id><wp:comment_author><![CDATA[Reader {id} 😀]]></wp:comment_author>");
                    writer.Write($"<wp:comment_author_email>r{id}@example.com</wp:comment_author_email><wp:comment_author_IP>192.0.2.1</wp:comment_author_IP>");
                    writer.Write($"<wp:comment_date_gmt>2020-01-02 03:04:05</wp:comment_date_gmt><wp:comment_approved>1</wp:comment_approved>");
                    writer.Write($"<wp:comment_parent>{(i == 0 ? 0 : id - 1)}</wp:comment_parent>");
                    writer.Write($"<wp:comment_content><![CDATA[{Body(id)}]]></wp:comment_content></wp:comment>\n");
                }
                writer.Write("</item>\n");
            }
            writer.Write("</channel></rss>");
        }

        AssertStreams(new WordPressFormat(), file.Path);
    }

    [Fact]
    public void A_Blogger_export_of_200_000_comments_streams_in_bounded_memory()
    {
        using var file = new TempFile();
        using (var writer = new StreamWriter(file.Path, false, new UTF8Encoding(false)))
        {
            writer.Write("""<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:blogger="http://schemas.google.com/blogger/2018">""");
            for (var post = 0; post < Comments / CommentsPerPost; post++)
            {
                writer.Write($"<entry><id>tag:blogger.com,1999:blog-1.post-{post}</id><blogger:type>POST</blogger:type><blogger:status>LIVE</blogger:status>");
                writer.Write($"<title>Post {post}</title><published>2020-01-01T00:00:00Z</published><blogger:filename>/2020/01/{post}.html</blogger:filename></entry>\n");
                for (var i = 0; i < CommentsPerPost; i++)
                {
                    var id = 1_000_000 + post * CommentsPerPost + i;
                    writer.Write($"<entry><id>tag:blogger.com,1999:blog-1.post-{id}</id><blogger:parent>tag:blogger.com,1999:blog-1.post-{post}</blogger:parent>");
                    writer.Write($"<blogger:inReplyTo>{(i == 0 ? "" : id - 1)}</blogger:inReplyTo><blogger:type>COMMENT</blogger:type><blogger:status>LIVE</blogger:status>");
                    writer.Write($"<author><name>Reader {id} 😀</name><uri>https://r{id}.example/</uri></author><published>2020-01-02T03:04:05Z</published>");
                    writer.Write($"<content type='html'>{System.Net.WebUtility.HtmlEncode(Body(id))}</content></entry>\n");
                }
            }
            writer.Write("</feed>");
        }

        AssertStreams(new BloggerFormat(), file.Path);
    }

    static string Body(int id) =>
        $"Comment {id}, long enough to look like one: <b>bold</b> &amp; plain words, then a second line\nand a paragraph break\n\nbefore the end.";

    void AssertStreams(XmlImportFormat format, string path)
    {
        var fileSize = new FileInfo(path).Length;
        var baseline = LiveHeap();
        long peakGrowth = 0;
        var (threads, comments) = (0, 0);

        using (var stream = File.OpenRead(path))
        using (var reader = ImportXml.Open(stream))
        {
            foreach (var record in format.Read(reader))
            {
                if (record is ImportedThread)
                    threads++;
                else if (record is ImportedComment)
                    comments++;
                if (comments > 0 && comments % 20_000 == 0 && record is ImportedComment)
                    peakGrowth = Math.Max(peakGrowth, LiveHeap() - baseline);
            }
        }

        output.WriteLine($"{format.Name}: file {fileSize / 1024 / 1024} MiB, live heap grew at most {peakGrowth / 1024} KiB over {comments} comments");
        Assert.Equal((Comments / CommentsPerPost, Comments), (threads, comments));
        Assert.True(fileSize > 40L * 1024 * 1024, $"the file is only {fileSize} bytes");
        Assert.True(peakGrowth < MaxLiveGrowth, $"the live heap grew by {peakGrowth} bytes while reading a {fileSize}-byte file");
    }

    static long LiveHeap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    sealed class TempFile : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"hearth-import-{Guid.NewGuid():N}.xml");
        public void Dispose() => File.Delete(Path);
    }
}
