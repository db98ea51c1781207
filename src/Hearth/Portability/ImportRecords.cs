using System.Globalization;
using System.Xml;

namespace Hearth.Portability;

/// <summary>
/// What an export file of another system says, in its own terms: threads and comments named by the source's ids.
/// A reader turns one file format into these, in file order; the import resolves threads, parents and people
/// afterwards, so a reply may come before its parent and a comment before its thread.
/// </summary>
public abstract record ImportRecord;

/// <summary>A page with conversation. Url and Identifier are as the file has them (not yet normalised or remapped).</summary>
public sealed record ImportedThread(
    string SourceId,
    string? Url,
    string? Identifier,
    string? Title,
    bool Closed,
    DateTime? CreatedAtUtc) : ImportRecord;

public enum ImportedState
{
    /// <summary>Public in the old system.</summary>
    Approved,
    /// <summary>Waiting for moderation in the old system.</summary>
    Pending,
    Spam,
    /// <summary>Turned down by a moderator (Hearth's own export): kept, never public.</summary>
    Rejected,
    /// <summary>Deleted in the old system: kept only as a tombstone, and only if it has replies.</summary>
    Deleted,
}

/// <summary>
/// A comment. Html is the old system's markup, untrusted: the import sends it through Hearth's own sanitiser.
/// AuthorEmail is private (moderators only), never shown. Any IP address in the file is not carried at all.
/// </summary>
public sealed record ImportedComment(
    string SourceId,
    string ThreadSourceId,
    string? ParentSourceId,
    string AuthorName,
    string? AuthorEmail,
    string? AuthorUrl,
    DateTime CreatedAtUtc,
    string Html,
    ImportedState State) : ImportRecord;

/// <summary>Something the file holds that is not imported (a pingback, a template entry...), counted in the summary by reason.</summary>
/// <param name="Named">The reason is the file's own word (a WordPress comment type, a Blogger entry's kind), not one of Hearth's.</param>
public sealed record ImportedSkip(string SourceId, string Reason, bool Named = false) : ImportRecord;

/// <summary>One export format Hearth reads (Disqus, WordPress, Blogger, its own JSON): a streaming reader over the file.</summary>
public interface IImportFormat
{
    /// <summary>The name used on the command line: disqus, wordpress, blogger, hearth.</summary>
    string Name { get; }

    /// <summary>
    /// Reads records one at a time; memory stays bounded whatever the file's size. A file that cannot be read stops
    /// with an <see cref="ImportFileException"/> naming the place.
    /// </summary>
    IEnumerable<ImportRecord> Read(Stream file);
}

/// <summary>The formats that are XML: each reads from an <see cref="XmlReader"/> that refuses DTDs.</summary>
public abstract class XmlImportFormat : IImportFormat
{
    public abstract string Name { get; }

    /// <summary>Reads records one at a time from a reader made by <see cref="ImportXml.Open"/>.</summary>
    public abstract IEnumerable<ImportRecord> Read(XmlReader reader);

    public IEnumerable<ImportRecord> Read(Stream file)
    {
        using var text = new XmlBoundsReader(XmlFileEncoding.Open(file));
        using var xml = ImportXml.Open(text);
        using var records = Read(xml).GetEnumerator();
        while (true)
        {
            bool more;
            try
            {
                more = records.MoveNext();
            }
            catch (XmlException e)
            {
                // The refusal of a DTD carries no place at all.
                var (line, position) = e.LineNumber > 0 ? (e.LineNumber, e.LinePosition) : text.Declaration;
                throw new ImportFileException(e.Message.Contains("DTD", StringComparison.Ordinal)
                    ? "The file declares a DTD (<!DOCTYPE ...>), which Hearth refuses to read: its entities could expand without end"
                    : "The file is not well-formed XML: " + FirstSentence(e.Message), line, position, e);
            }
            if (!more)
            {
                yield break;
            }
            yield return records.Current;
        }
    }

    static string FirstSentence(string message) => message.Split(" Line ", 2)[0].TrimEnd('.', ' ') + ".";
}

/// <summary>A file that cannot be read: the message names the line and position, when the reader knows them.</summary>
public sealed class ImportFileException(string message, int line, int position, Exception? inner = null)
    : Exception(Place(message, line, position), inner)
{
    /// <summary>The XML reader's messages can quote the file (every element left open, a name it does not know), at any length.</summary>
    const int MaxMessage = 500;

    static string Place(string message, int line, int position)
    {
        message = Shown(message, MaxMessage);
        return line > 0 ? $"{message} (line {line}, position {position})" : message;
    }

    /// <summary>Where to cut <paramref name="text"/> to at most <paramref name="most"/> characters without splitting one in two.</summary>
    public static int CutAt(string text, int most) =>
        text.Length <= most ? text.Length : char.IsHighSurrogate(text[most - 1]) ? most - 1 : most;

    /// <summary>
    /// Text that may quote a file, made fit to print on a terminal or a page and to store: control and formatting
    /// characters (escape sequences, bidirectional overrides, line breaks) and halves of characters become '?', and a
    /// cut at <paramref name="most"/> never splits a character in two.
    /// </summary>
    public static string Shown(string text, int most)
    {
        var cut = CutAt(text, most);
        var chars = text.ToCharArray(0, cut);
        for (var i = 0; i < chars.Length; i++)
        {
            var whole = char.IsHighSurrogate(chars[i]) ? i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1])
                : !char.IsLowSurrogate(chars[i]) || (i > 0 && char.IsHighSurrogate(chars[i - 1]));
            if (!whole || char.IsControl(chars[i])
                || char.GetUnicodeCategory(chars[i]) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                chars[i] = '?';
            }
        }
        return cut < text.Length ? new string(chars) + "…" : new string(chars);
    }

    public int Line { get; } = line;
    public int Position { get; } = position;
}

public static class ImportXml
{
    /// <summary>
    /// An XML reader over the file's characters (<see cref="XmlFileEncoding"/>, counted by <see cref="XmlBoundsReader"/>)
    /// that refuses any DTD (so no entity expansion, no external entity is ever fetched) and keeps line numbers for error
    /// messages.
    /// </summary>
    public static XmlReader Open(Stream file) => Open(new XmlBoundsReader(XmlFileEncoding.Open(file)));

    /// <inheritdoc cref="Open(Stream)"/>
    public static XmlReader Open(XmlBoundsReader text) => XmlReader.Create(text, new XmlReaderSettings
    {
        DtdProcessing = DtdProcessing.Prohibit,
        NameTable = new BoundedNameTable(),
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    });

    /// <summary>Where the reader is, for error messages.</summary>
    public static (int Line, int Position) Where(XmlReader reader) =>
        reader is IXmlLineInfo info && info.HasLineInfo() ? (info.LineNumber, info.LinePosition) : (0, 0);
}
