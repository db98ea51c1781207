using System.Text;
using System.Text.RegularExpressions;

namespace Hearth.Portability;

/// <summary>
/// Decides once how an XML file's bytes are characters, as XML's rules do (a byte order mark, else how "&lt;?" is
/// spelled, else the declaration's encoding, else UTF-8), and decodes it here. The XML reader is then handed
/// characters: given bytes, it follows the declaration and may switch decoders part-way, so anything counting the
/// file ahead of it could read a different text from the one it parses.
/// </summary>
static partial class XmlFileEncoding
{
    const int Head = 1024;

    public static TextReader Open(Stream file)
    {
        var head = new byte[Head];
        var read = file.ReadAtLeast(head, Head, throwOnEndOfStream: false);
        var (encoding, mark) = Detect(head.AsSpan(0, read));
        var rest = new PrefixedStream(head.AsMemory(mark, read - mark), file);
        return new StreamReader(rest, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024);
    }

    static (Encoding Encoding, int Mark) Detect(ReadOnlySpan<byte> b)
    {
        switch (b)
        {
            case [0x00, 0x00, 0xFE, 0xFF, ..]: return (Marking(new UTF32Encoding(bigEndian: true, byteOrderMark: false)), 4);
            case [0xFF, 0xFE, 0x00, 0x00, ..]: return (Marking(new UTF32Encoding(bigEndian: false, byteOrderMark: false)), 4);
            case [0xFE, 0xFF, ..]: return (Marking(new UnicodeEncoding(bigEndian: true, byteOrderMark: false)), 2);
            case [0xFF, 0xFE, ..]: return (Marking(new UnicodeEncoding(bigEndian: false, byteOrderMark: false)), 2);
            case [0xEF, 0xBB, 0xBF, ..]: return (Marking(new UTF8Encoding(false)), 3);
            case [0x00, 0x00, 0x00, 0x3C, ..]: return (Marking(new UTF32Encoding(bigEndian: true, byteOrderMark: false)), 0);
            case [0x3C, 0x00, 0x00, 0x00, ..]: return (Marking(new UTF32Encoding(bigEndian: false, byteOrderMark: false)), 0);
            case [0x00, 0x3C, 0x00, 0x3F, ..]: return (Marking(new UnicodeEncoding(bigEndian: true, byteOrderMark: false)), 0);
            case [0x3C, 0x00, 0x3F, 0x00, ..]: return (Marking(new UnicodeEncoding(bigEndian: false, byteOrderMark: false)), 0);
            case [0x00, 0x00, 0x3C, 0x00, ..] or [0x00, 0x3C, 0x00, 0x00, ..] or [0x00, 0x00, 0xFF, 0xFE, ..] or [0xFE, 0xFF, 0x00, 0x00, ..]:
                throw new ImportFileException("The file is in UCS-4 with an unusual byte order, which Hearth cannot read", 1, 1);
        }
        // Any other start is read as ASCII until the declaration says otherwise.
        var declared = Declared().Match(Encoding.Latin1.GetString(b));
        if (!declared.Success)
        {
            return (Marking(new UTF8Encoding(false)), 0);
        }
        var name = declared.Groups[1].Value;
        Encoding? encoding = null;
        try
        {
            encoding = Encoding.GetEncoding(name, EncoderFallback.ExceptionFallback, new DecoderReplacementFallback(NotDecoded.ToString()));
        }
        catch (ArgumentException)
        {
        }
        // Only encodings that spell "<?xml" as ASCII does can have been declared this way; .NET alone decodes UTF-8,
        // ASCII and Latin-1 among those.
        if (encoding?.CodePage is 1200 or 1201 or 12000 or 12001)
        {
            throw new ImportFileException($"The file declares {Plain(name)}, but its first bytes are not in it (a file in UTF-16 or UTF-32 begins with a byte order mark or with \"<?xml\" in that encoding)", 1, 1);
        }
        return encoding?.CodePage is 65001 or 20127 or 28591
            ? (encoding.CodePage == 65001 ? Marking(new UTF8Encoding(false)) : encoding, 0)
            : throw new ImportFileException($"The file's encoding, {Plain(name)}, is not one Hearth reads (UTF-8, UTF-16, UTF-32, ASCII, ISO-8859-1)", 1, 1);
    }

    /// <summary>
    /// What bytes not valid in the file's encoding are decoded to: a character XML never allows, which
    /// <see cref="XmlBoundsReader"/> stops at, naming its line and position (a decoder that threw would fail a whole buffer
    /// ahead of the reader, at no place). A file that spells this character out is refused there too, as XML would.
    /// </summary>
    public const char NotDecoded = '\uFFFF';

    static Encoding Marking(Encoding encoding)
    {
        var marking = (Encoding)encoding.Clone();
        marking.DecoderFallback = new DecoderReplacementFallback(NotDecoded.ToString());
        return marking;
    }

    static string Plain(string name) => new(name.Take(40).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '?').ToArray());

    [GeneratedRegex("""^<\?xml\s[^?>]*?\bencoding\s*=\s*["']([^"']*)["']""")]
    private static partial Regex Declared();

    /// <summary>The first bytes, already read to look at, then the rest of the file.</summary>
    sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
    {
        ReadOnlyMemory<byte> _prefix = prefix;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.IsEmpty)
            {
                return rest.Read(buffer);
            }
            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
