using System.Globalization;
using System.Text;
using System.Xml;

namespace Hearth.Portability;

/// <summary>What the XML readers share: bounded text fields, dates, and errors that name the place.</summary>
internal static class ImportReading
{
    /// <summary>
    /// No field of an export is read past this many characters, so one huge element cannot take the memory a streaming
    /// reader is meant to save. A megabyte of text is far beyond any real comment.
    /// </summary>
    public const int MaxFieldChars = 1_000_000;

    /// <summary>
    /// Runs a reader and turns any XML error (malformed, truncated, a DTD) into an <see cref="ImportFileException"/> with
    /// the line and position, so no caller sees a half-read file without an error.
    /// </summary>
    public static IEnumerable<ImportRecord> Guarded(XmlReader reader, IEnumerable<ImportRecord> records)
    {
        using var enumerator = records.GetEnumerator();
        while (true)
        {
            bool more;
            try
            {
                more = enumerator.MoveNext();
            }
            catch (XmlException e)
            {
                throw FromXml(e, reader);
            }
            if (!more)
                yield break;
            yield return enumerator.Current;
        }
    }

    static ImportFileException FromXml(XmlException e, XmlReader reader)
    {
        // A refused DTD comes without a place (the runtime stops before it has read a node), so its message says where
        // it is instead: in the prolog, before the first element.
        var (line, position) = e.LineNumber > 0 ? (e.LineNumber, e.LinePosition) : ImportXml.Where(reader);
        // The runtime's message repeats the place and, for a DTD, tells a developer which setting to change; the
        // person importing needs to know only what is wrong and where.
        var message = e.Message.Contains("DTD", StringComparison.Ordinal)
            ? "The file declares a DTD (<!DOCTYPE ...> before its first element), which an import refuses: an export needs none, and a DTD can expand entities without bound"
            : "The file is not well-formed XML: " + e.Message.Replace($" Line {e.LineNumber}, position {e.LinePosition}.", "").TrimEnd();
        return new ImportFileException(message, line, position, e);
    }

    public static ImportFileException Fail(XmlReader reader, string message)
    {
        var (line, position) = ImportXml.Where(reader);
        return new ImportFileException(message, line, position);
    }

    /// <summary>
    /// The text of the element the reader is on (text and CDATA joined, entities resolved), read in chunks up to
    /// <see cref="MaxFieldChars"/>; leaves the reader after the element's end. Tags of child elements are dropped, or,
    /// where the format allows none (<paramref name="markup"/> false), stop the file.
    /// </summary>
    public static string ReadText(XmlReader reader, bool markup = true)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return "";
        }
        var depth = reader.Depth;
        var text = Text ??= new StringBuilder();
        text.Clear();
        var chunk = Chunk ??= new char[4096];
        try
        {
            return Read(reader, depth, text, chunk, markup);
        }
        finally
        {
            if (text.Capacity > 64 * 1024)
            {
                // A long field once (or one refused for its length) is no reason to keep its buffer for the rest of the file.
                Text = null;
            }
        }
    }

    static string Read(XmlReader reader, int depth, StringBuilder text, char[] chunk, bool markup)
    {
        reader.Read();
        while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.EOF)
                throw Fail(reader, "The file ends inside an element");
            if (!markup && reader.NodeType == XmlNodeType.Element)
                throw Fail(reader, "Expected text, found markup.");
            if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
            {
                int read;
                while ((read = reader.ReadValueChunk(chunk, 0, chunk.Length)) > 0)
                {
                    if (text.Length + read > MaxFieldChars)
                        throw Fail(reader, $"A field is longer than {MaxFieldChars:N0} characters");
                    text.Append(chunk, 0, read);
                }
            }
            reader.Read();
        }
        reader.Read();
        return text.ToString();
    }

    // One of each per thread: a file's fields are read one after another, millions of them.
    [ThreadStatic] static StringBuilder? Text;
    [ThreadStatic] static char[]? Chunk;

    /// <summary>Null for missing or blank text, else the text trimmed.</summary>
    public static string? Blank(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>A WordPress date ("2020-01-02 03:04:05"); null for none and for WordPress's "0000-00-00 00:00:00".</summary>
    public static DateTime? WordPressDate(string text) =>
        DateTime.TryParseExact(text.Trim(), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date) ? date : null;

    /// <summary>An Atom (RFC 3339) date with any offset, in UTC; null when absent or unreadable.</summary>
    public static DateTime? AtomDate(string? text) =>
        text is not null && DateTime.TryParse(text.Trim(), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date) ? date : null;

    /// <summary>Moves past the element the reader is on (its children unread) or past any other node.</summary>
    public static void Pass(XmlReader reader)
    {
        if (reader.NodeType == XmlNodeType.Element)
            reader.Skip();
        else
            reader.Read();
    }
}
