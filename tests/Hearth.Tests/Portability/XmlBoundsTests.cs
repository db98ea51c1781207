using System.Text;
using System.Xml;
using Hearth.Portability;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Portability;

/// <summary>
/// What an XML file may make the reader hold: .NET's reader streams text, but holds a whole tag, instruction, CDATA
/// section and reference, every open element and every name it has met, so each of those is bounded before the reader
/// sees it, on characters decoded once (the reader is never left to pick another encoding part-way).
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
            app.ImportAsync(site, File("attr", postId: new string('7', XmlBoundsReader.MaxTagChars + 1)), map: new()));

        Assert.Contains("A tag is longer than 100,000 characters", error.Message);
        Assert.Equal((5, 1), (error.Line, error.Position));
        Assert.Equal(before, await app.FootprintAsync());
    }

    [Fact]
    public async Task ACDataSectionLongerThanAnyFieldCouldBeStopsTheImportBeforeTheReaderHoldsIt()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var before = await app.FootprintAsync();

        var error = await Assert.ThrowsAsync<ImportFileException>(() =>
            app.ImportAsync(site, File("cdata", "long", message: new string('x', XmlBoundsReader.MaxCDataChars)), map: new()));

        Assert.Contains("A CDATA section is longer than 16,000,000 characters", error.Message);
        Assert.Equal(5, error.Line);
        Assert.Equal(before, await app.FootprintAsync());
    }

    [Fact]
    public async Task ElementsNestedDeeperThanAnyFormatNeedsStopTheImport()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var deep = string.Concat(Enumerable.Repeat("<x>", XmlBoundsReader.MaxDepth)) + string.Concat(Enumerable.Repeat("</x>", XmlBoundsReader.MaxDepth));

        var error = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, File("deep", "d", inside: deep), map: new()));

        Assert.Contains($"Elements are nested more than {XmlBoundsReader.MaxDepth} deep", error.Message);
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
        var nearlyLong = $"<extra><![CDATA[{new string('w', XmlBoundsReader.MaxCDataChars - 100)}]]></extra>";
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
        var tooLong = wide.GetPreamble().Concat(wide.GetBytes(File("long" + encoding, new string('7', XmlBoundsReader.MaxTagChars)).Replace("utf-8", encoding))).ToArray();

        var summary = await app.ImportAsync(site, fine, map: new());
        var error = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, tooLong, map: new()));

        Assert.Equal(2, summary.CommentsImported);
        Assert.Contains("A tag is longer than", error.Message);
        Assert.Equal(5, error.Line);
    }

    [Fact]
    public void TheBoundsFollowTheFileWhateverSizeTheReadsAre()
    {
        // A file or an upload may hand over a few bytes at a time, splitting a character, a "<![CDATA[" or a "-->"
        // between reads, and the first bytes that tell the encoding.
        var text = File("split", "s", message: "<p>é 🙂 ]] > </p>", inside: "<!-- a - b --><x a=\"&gt;'\" b='\"'/>");
        foreach (var encoding in new[] { Encoding.UTF8, Encoding.Unicode, Encoding.UTF32 })
        {
            foreach (var size in new[] { 1, 2, 3, 5, 1023, 4096 })
            {
                var bytes = encoding.GetPreamble().Concat(encoding.GetBytes(text.Replace("utf-8", encoding.WebName))).ToArray();
                using var reader = XmlReader.Create(new XmlBoundsReader(XmlFileEncoding.Open(new Trickle(bytes, size))));
                var posts = 0;
                while (reader.Read())
                {
                    posts += reader is { NodeType: XmlNodeType.Element, LocalName: "post" } ? 1 : 0;
                }
                Assert.Equal(2, posts);
            }
        }
        var deep = File("split", "s", inside: string.Concat(Enumerable.Repeat("<x>", XmlBoundsReader.MaxDepth)));
        var stopped = Assert.Throws<ImportFileException>(() =>
        {
            using var reader = XmlReader.Create(new XmlBoundsReader(XmlFileEncoding.Open(new Trickle(Encoding.UTF8.GetBytes(deep), 3))));
            while (reader.Read()) { }
        });
        Assert.Contains("nested more than", stopped.Message);
    }

    [Fact]
    public async Task AProcessingInstructionOrAnXmlDeclarationLongerThanAnyTagStopsTheImport()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var instruction = File("pi", "p").Replace("<thread dsq:id=\"pi\">", $"<?{new string('p', XmlBoundsReader.MaxTagChars)} ?><thread dsq:id=\"pi\">");
        var declaration = File("decl", "d").Replace("encoding=\"utf-8\"", $"encoding=\"utf-8\"{new string(' ', XmlBoundsReader.MaxTagChars)}");

        var inside = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, instruction, map: new()));
        var first = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, declaration, map: new()));

        Assert.Contains("A processing instruction is longer than 100,000 characters", inside.Message);
        Assert.Equal((3, 1), (inside.Line, inside.Position));
        Assert.Contains("A processing instruction is longer than 100,000 characters", first.Message);
        Assert.Equal((1, 1), (first.Line, first.Position));
    }

    [Fact]
    public async Task AReferenceLongerThanAnyRealOneStopsTheImport()
    {
        // Leading zeros never overflow a character reference, and an unknown entity's name is quoted back in full.
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var zeros = File("zeros", "z").Replace("<name>Writer</name>", $"<name>&#x{new string('0', 200_000)}41;</name>");
        var named = File("named", "n").Replace("<name>Writer</name>", $"<name>&{new string('e', 200_000)};</name>");
        var fine = File("fine-ref", "f").Replace("<name>Writer</name>", "<name>&#x000000041;&amp;&#128578;</name>");

        var zeroError = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, zeros, map: new()));
        var namedError = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, named, map: new()));
        var summary = await app.ImportAsync(site, fine, map: new());

        Assert.Contains("A character or entity reference is longer than 64 characters", zeroError.Message);
        Assert.Equal(4, zeroError.Line);
        Assert.Contains("A character or entity reference is longer than 64 characters", namedError.Message);
        Assert.Equal(2, summary.CommentsImported);
    }

    [Fact]
    public async Task AFileOfEverNewNamesStopsBeforeTheReaderHasKeptThemAll()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var names = string.Concat(Enumerable.Range(0, BoundedNameTable.MaxNames).Select(i => $"<n{i} a{i}='x'/>"));

        var error = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, File("names", "n", inside: names), map: new()));

        Assert.Contains("more than 10,000 different elements, attributes and namespaces", error.Message);
    }

    [Fact]
    public async Task AFileIsDecodedOnceAsItsMarkOrDeclarationSays()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        // Latin-1, declared: its accented letters come through.
        var latin = Encoding.Latin1.GetBytes(File("latin", "l", message: "<p>Café déjà vu</p>").Replace("utf-8", "ISO-8859-1"));
        // A mark says UTF-16 while the declaration says UTF-8 and the rest is UTF-8: the reader is never switched part-way
        // to a text the counting did not see; the file is read as UTF-16, which it is not, and stops.
        var switched = new byte[] { 0xFF, 0xFE }.Concat(Encoding.Unicode.GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?>"))
            .Concat(Encoding.UTF8.GetBytes($"<disqus a=\"{new string('x', 300_000)}\"/>")).ToArray();
        var unknown = Encoding.ASCII.GetBytes(File("unknown", "u").Replace("utf-8", "x-made-up<script>"));
        var ebcdic = Encoding.ASCII.GetBytes(File("ebcdic", "e").Replace("utf-8", "IBM037"));
        var wideInName = Encoding.ASCII.GetBytes(File("wide", "w").Replace("utf-8", "UTF-16"));

        var summary = await app.ImportAsync(site, latin, map: new());
        var switchedError = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, switched, map: new()));
        var unknownError = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, unknown, map: new()));
        var ebcdicError = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, ebcdic, map: new()));
        var wideInNameError = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, wideInName, map: new()));

        Assert.Equal(2, summary.CommentsImported);
        var html = await app.InDatabaseAsync(db => db.Comments.Where(c => c.ImportId == "latinl").Select(c => c.Html).SingleAsync());
        Assert.Contains("Café déjà vu", html);
        Assert.DoesNotContain("encoding", switchedError.Message);
        Assert.Contains("The file's encoding, x-made-up?script?, is not one Hearth reads", unknownError.Message);
        Assert.Contains("The file's encoding, IBM037, is not one Hearth reads", ebcdicError.Message);
        Assert.Contains("The file declares UTF-16, but its first bytes are not in it", wideInNameError.Message);
    }

    [Fact]
    public async Task BytesNotValidInTheFilesEncodingStopTheImportRatherThanBeingReplaced()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var before = await app.FootprintAsync();
        var text = File("bytes", "b", message: "<p>Caf\u00e9 BROKEN here</p>");
        var bytes = Encoding.UTF8.GetBytes(text);
        var at = text.IndexOf("BROKEN", StringComparison.Ordinal) + 1; // ASCII up to there but for one 'é' of two bytes
        bytes[at] = 0xFF;

        var error = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, bytes, map: new()));

        // The place is the byte's own, though the file is decoded a buffer ahead of the reader.
        var line = text.Split('\n')[4];
        Assert.Contains($"The file has bytes that are not valid UTF-8 (line 5, position {line.IndexOf("BROKEN", StringComparison.Ordinal) + 1})", error.Message);
        Assert.Equal(before, await app.FootprintAsync());
    }

    [Fact]
    public async Task AFileDeclaredUsAsciiImportsAndAByteOutsideAsciiStopsItNamingTheEncoding()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var ascii = Encoding.ASCII.GetBytes(File("ascii", "a", message: "<p>Plain words &amp; an &#233; by reference</p>").Replace("utf-8", "US-ASCII"));
        var text = File("notascii", "n", message: "<p>Caf\u00e9 here</p>").Replace("utf-8", "US-ASCII");
        // The file says US-ASCII but holds a Latin-1 'é': not read as some other encoding, not replaced.
        var wrong = Encoding.Latin1.GetBytes(text);

        var summary = await app.ImportAsync(site, ascii, map: new());
        var before = await app.FootprintAsync();
        var error = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, wrong, map: new()));

        Assert.Equal(2, summary.CommentsImported);
        var html = await app.InDatabaseAsync(db => db.Comments.Where(c => c.ImportId == "asciia").Select(c => c.Html).SingleAsync());
        Assert.Contains("Plain words &amp; an é by reference", html);
        Assert.Contains($"The file has bytes that are not valid US-ASCII (line 5, position {text.Split('\n')[4].IndexOf('\u00e9') + 1})", error.Message);
        Assert.Equal(before, await app.FootprintAsync());
    }

    [Fact]
    public async Task AnErrorQuotingTheFileIsCutShort()
    {
        // At the end of a file the reader names every element still open: 256 names of 90,000 characters would make a
        // message of 23 million characters, kept with the import and shown to its owner.
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var name = new string('n', 90_000);
        var file = File("open", "o").Replace("</disqus>", string.Concat(Enumerable.Repeat($"<{name}>", 200)));

        var error = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, file, map: new()));

        Assert.InRange(error.Message.Length, 20, 600);
    }

    [Fact]
    public async Task WhitespaceOutsideTheRootElementIsBoundedBeforeAndAfterIt()
    {
        // Within elements the reader streams whitespace as text; before and after the root it gathers it whole.
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var padding = new string('\n', XmlBoundsReader.MaxTagChars + 1);
        var before = File("pad-before", "b").Replace("?>\n<disqus", "?>" + padding + "<disqus");
        var after = File("pad-after", "a").Replace("</disqus>", "</disqus>" + padding.Replace('\n', ' '));
        var fine = File("pad-fine", "f").Replace("</disqus>", "</disqus>" + new string('\n', 1000));

        var beforeError = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, before, map: new()));
        var afterError = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, after, map: new()));
        var summary = await app.ImportAsync(site, fine, map: new());

        Assert.Contains("more than 100,000 characters between elements outside its root element", beforeError.Message);
        Assert.Equal(1, beforeError.Line);
        Assert.Contains("more than 100,000 characters between elements outside its root element", afterError.Message);
        Assert.Equal(6, afterError.Line);
        Assert.Equal(2, summary.CommentsImported);
    }

    [Fact]
    public async Task AMessageQuotingTheFileCarriesNoControlCharactersAndNoHalfCharacters()
    {
        // A post's id is quoted when it names no thread: an escape sequence or a right-to-left override in it would
        // reach the operator's terminal and the owner's page.
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var file = File("ctl", "q&#x202E;&#13;&#10;&#x9B;2Jdone");
        file = file.Remove(file.LastIndexOf("<thread dsq:id=\"ctl\" />", StringComparison.Ordinal), "<thread dsq:id=\"ctl\" />".Length);
        // The reader's own message quotes a character XML does not allow, an escape here.
        var escape = File("esc", "e", message: "<p>\u001b[2J</p>");

        var error = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, file, map: new()));
        var escapeError = await Assert.ThrowsAsync<ImportFileException>(() => app.ImportAsync(site, escape, map: new()));

        Assert.Contains("Post ctlq????2Jdone names no thread", error.Message);
        Assert.Contains("The file is not well-formed XML", escapeError.Message);
        Assert.DoesNotContain('\u001b', escapeError.Message);
        Assert.Equal(new string('a', 499) + "…", ImportFileException.Shown(new string('a', 499) + "🙂 and more", 500));
        Assert.Equal("🙂?", ImportFileException.Shown("🙂\u001b", 500));
    }

    /// <summary>A stream that hands over at most a few bytes per read.</summary>
    sealed class Trickle(byte[] bytes, int most) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, most));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, most)]);
    }
}
