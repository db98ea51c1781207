using System.Text;
using System.Xml;
using Hearth.Portability;

namespace Hearth.Tests.Portability;

/// <summary>
/// What an XML file may make the reader hold: .NET's reader streams text, but holds a whole tag, a whole CDATA section
/// and every open element, so each of those is bounded before the reader sees it.
/// </summary>
public class XmlBoundsTests(HearthApp app) : IClassFixture<HearthApp>
{
    /// <summary>A Disqus file of one thread and one post per message, with room to change any part of it.</summary>
    static string File(string prefix, string postId = "", string message = "<p>Hello</p>", string inside = "") => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
        <thread dsq:id="{prefix}"><id></id><link>https://blog.example/{prefix}</link><title>Bounds</title></thread>
        <post dsq:id="{prefix}first"><message><![CDATA[<p>First</p>]]></message><createdAt>2016-02-03T04:05:06Z</createdAt><author><name>Writer</name></author><thread dsq:id="{prefix}" /></post>
        <post dsq:id="{prefix}{postId}"><message><![CDATA[{message}]]></message><createdAt>2016-02-03T04:05:07Z</createdAt>{inside}<author><name>Writer</name></author><thread dsq:id="{prefix}" /></post>
        </disqus>
        """;

    [Fact]
    public async Task AnAttributeLongerThanAnyTagNeedsStopsTheImportAtItsLineWithNothingWritten()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var before = await app.FootprintAsync();

        var error = await Assert.ThrowsAsync<ImportFileException>(() =>
            app.ImportAsync(site, File("attr", postId: new string('7', XmlBoundsStream.MaxTagBytes + 1)), map: new()));

        Assert.Contains("A tag is longer than 100,000 bytes", error.Message);
        Assert.Equal((5, 1), (error.Line, error.Position));
        Assert.Equal(before, await app.FootprintAsync());
    }

    [Fact]
    public async Task ACDataSectionLongerThanAnyFieldCouldBeStopsTheImportBeforeTheReaderHoldsIt()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var before = await app.FootprintAsync();

        var error = await Assert.ThrowsAsync<ImportFileException>(() =>
            app.ImportAsync(site, File("cdata", "long", message: new string('x', XmlBoundsStream.MaxCDataBytes)), map: new()));

        Assert.Contains("A CDATA section is longer than 4,000,064 bytes", error.Message);
        Assert.Equal(5, error.Line);
        Assert.Equal(before, await app.FootprintAsync());
    }

    [Fact]
    public async Task ElementsNestedDeeperThanAnyFormatNeedsStopTheImport()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var deep = string.Concat(Enumerable.Repeat("<x>", XmlBoundsStream.MaxDepth)) + string.Concat(Enumerable.Repeat("</x>", XmlBoundsStream.MaxDepth));

        var error = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, File("deep", "d", inside: deep), map: new()));

        Assert.Contains($"Elements are nested more than {XmlBoundsStream.MaxDepth} deep", error.Message);
        Assert.Equal(5, error.Line);
    }

    [Fact]
    public async Task TagsCommentsAndSectionsWithinTheBoundsImportAsBefore()
    {
        // Near each bound, and the markup that could mislead a counter: '>' and '<!--' inside attribute values,
        // a comment and a processing instruction holding what looks like tags, a section holding "]]" and tags,
        // and empty elements nested as deep as any real file could.
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var nearlyDeep = string.Concat(Enumerable.Repeat("<x a='>'>", 200)) + "<y/><y b=\"/\"></y>" + string.Concat(Enumerable.Repeat("</x>", 200));
        var nearlyLong = $"<extra><![CDATA[{new string('w', XmlBoundsStream.MaxCDataBytes - 100)}]]></extra>";
        var file = File("fine", "ok", message: "<p>a ]] b ]></p>", inside: nearlyDeep + nearlyLong)
            .Replace("<thread dsq:id=\"fine\">", $"<!-- <thread dsq:id=\"x\"> ]]> --><?note <post ?><thread dsq:id=\"fine\" note=\"]]> --> {new string('n', 90_000)}\">");

        var summary = await app.ImportAsync(site, file, map: new());

        Assert.Equal(2, summary.CommentsImported);
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    [InlineData("utf-32")]
    public async Task AFileInAWideEncodingIsReadAndBoundedAlike(string encoding)
    {
        var wide = Encoding.GetEncoding(encoding);
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var fine = wide.GetPreamble().Concat(wide.GetBytes(File("wide" + encoding, "ok", message: "<p>Grüße 🙂</p>").Replace("utf-8", encoding))).ToArray();
        var tooLong = wide.GetPreamble().Concat(wide.GetBytes(File("long" + encoding, new string('7', XmlBoundsStream.MaxTagBytes / 2)).Replace("utf-8", encoding))).ToArray();

        var summary = await app.ImportAsync(site, fine, map: new());
        var error = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, tooLong, map: new()));

        Assert.Equal(2, summary.CommentsImported);
        Assert.Contains("A tag is longer than", error.Message);
        Assert.Equal(5, error.Line);
    }

    [Fact]
    public void TheBoundsFollowTheFileWhateverSizeTheReadsAre()
    {
        // The XML reader asks for 4,096 bytes at a time; a file or an upload may hand over far fewer, splitting a
        // character, a "<![CDATA[" or a "-->" between reads.
        var text = File("split", "s", message: "<p>é 🙂 ]] > </p>", inside: "<!-- a - b --><x a=\"&gt;'\" b='\"'/>");
        foreach (var encoding in new[] { Encoding.UTF8, Encoding.Unicode, Encoding.UTF32 })
        {
            foreach (var size in new[] { 1, 2, 3, 5, 4096 })
            {
                var bytes = encoding.GetPreamble().Concat(encoding.GetBytes(text.Replace("utf-8", encoding.WebName))).ToArray();
                using var reader = XmlReader.Create(new XmlBoundsStream(new Trickle(bytes, size)));
                var posts = 0;
                while (reader.Read())
                {
                    posts += reader is { NodeType: XmlNodeType.Element, LocalName: "post" } ? 1 : 0;
                }
                Assert.Equal(2, posts);
            }
        }
        var deep = File("split", "s", inside: string.Concat(Enumerable.Repeat("<x>", XmlBoundsStream.MaxDepth)));
        var stopped = Assert.Throws<ImportFileException>(() =>
        {
            using var reader = XmlReader.Create(new XmlBoundsStream(new Trickle(Encoding.UTF8.GetBytes(deep), 3)));
            while (reader.Read()) { }
        });
        Assert.Contains("nested more than", stopped.Message);
    }

    /// <summary>A stream that hands over at most a few bytes per read.</summary>
    sealed class Trickle(byte[] bytes, int most) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, most));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, most)]);
    }
}
