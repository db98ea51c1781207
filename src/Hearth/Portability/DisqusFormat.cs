using System.Globalization;
using System.Xml;

namespace Hearth.Portability;

/// <summary>
/// The Disqus export: a flat list of categories, threads and posts under &lt;disqus&gt;, each thread and post named by
/// its dsq:id attribute, a post pointing at its thread and parent by theirs. Read one element at a time; anything this
/// reader does not know is passed over.
/// </summary>
public sealed class DisqusFormat : XmlImportFormat
{
    public const string Namespace = "http://disqus.com";
    public const string Internals = "http://disqus.com/disqus-internals";

    public override string Name => "disqus";

    public override IEnumerable<ImportRecord> Read(XmlReader reader)
    {
        reader.MoveToContent();
        if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "disqus" || reader.NamespaceURI != Namespace)
        {
            var (line, position) = ImportXml.Where(reader);
            throw new ImportFileException("This is not a Disqus export: its root element is not <disqus xmlns=\"http://disqus.com\">.", line, position);
        }
        if (reader.IsEmptyElement)
        {
            yield break;
        }
        reader.Read();
        while (!reader.EOF)
        {
            if (reader.NodeType == XmlNodeType.EndElement)
            {
                // The end of <disqus>; anything after it is the XML reader's to refuse.
                reader.Read();
                continue;
            }
            if (reader.NodeType != XmlNodeType.Element)
            {
                reader.Read();
                continue;
            }
            ImportRecord? record = reader.NamespaceURI != Namespace ? null : reader.LocalName switch
            {
                "thread" => ReadThread(reader),
                "post" => ReadPost(reader),
                _ => null,
            };
            if (record is null)
            {
                reader.Skip();
            }
            else
            {
                yield return record;
            }
        }
    }

    static ImportRecord ReadThread(XmlReader reader)
    {
        var id = DsqId(reader, "thread");
        string? identifier = null, link = null, title = null;
        DateTime? created = null;
        bool closed = false, deleted = false;
        foreach (var (name, sub) in Children(reader))
        {
            switch (name)
            {
                case "id": identifier = Text(sub); break;
                case "link": link = Text(sub); break;
                case "title": title = Text(sub); break;
                case "createdAt": created = Date(sub); break;
                case "isClosed": closed = Flag(sub); break;
                case "isDeleted": deleted = Flag(sub); break;
                default: sub.Skip(); break;
            }
        }
        // A thread deleted in Disqus is not brought back; its posts are then counted as having no thread.
        return deleted ? new ImportedSkip(id, "deleted thread")
            : new ImportedThread(id, Blank(link), Blank(identifier), Blank(title), closed, created);
    }

    static ImportedComment ReadPost(XmlReader reader)
    {
        var id = DsqId(reader, "post");
        string message = "", name = "", username = "";
        string? email = null, thread = null, parent = null;
        DateTime? created = null;
        bool deleted = false, spam = false, pending = false;
        foreach (var (element, sub) in Children(reader))
        {
            switch (element)
            {
                case "message": message = Text(sub); break;
                case "createdAt": created = Date(sub); break;
                case "isDeleted": deleted = Flag(sub); break;
                case "isSpam": spam = Flag(sub); break;
                // Not in every export: a post waiting for a moderator says so.
                case "isApproved": pending = !Flag(sub); break;
                case "thread": thread = DsqId(sub, "thread"); sub.Skip(); break;
                case "parent": parent = DsqId(sub, "parent"); sub.Skip(); break;
                case "author":
                    foreach (var (field, value) in Children(sub))
                    {
                        switch (field)
                        {
                            case "name": name = Text(value); break;
                            case "email": email = Blank(Text(value)); break;
                            case "username": username = Text(value); break;
                            default: value.Skip(); break;
                        }
                    }
                    break;
                // ipAddress among them: Hearth never keeps a raw address, so it is not even read.
                default: sub.Skip(); break;
            }
        }
        if (thread is null)
        {
            var (line, position) = ImportXml.Where(reader);
            throw new ImportFileException($"Post {id} names no thread.", line, position);
        }
        var state = deleted ? ImportedState.Deleted : spam ? ImportedState.Spam : pending ? ImportedState.Pending : ImportedState.Approved;
        var author = Blank(name) ?? Blank(username) ?? "Anonymous";
        return new ImportedComment(id, thread, parent, author, email, null,
            created ?? DateTime.UnixEpoch, message, state);
    }

    /// <summary>The element children of the element the reader is on, each read to its end by the caller; the reader ends past the element.</summary>
    static IEnumerable<(string Name, XmlReader Reader)> Children(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            yield break;
        }
        var depth = reader.Depth;
        reader.Read();
        while (!reader.EOF && !(reader.Depth == depth && reader.NodeType == XmlNodeType.EndElement))
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                var before = (reader.Depth, reader.LocalName);
                yield return (reader.NamespaceURI == Namespace ? reader.LocalName : "", reader);
                // The caller read the element; if it did not move, pass it over.
                if (reader.Depth == before.Depth && reader.NodeType == XmlNodeType.Element && reader.LocalName == before.LocalName)
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
            }
        }
        reader.Read();
    }

    static string DsqId(XmlReader reader, string what)
    {
        var id = reader.GetAttribute("id", Internals);
        if (string.IsNullOrWhiteSpace(id))
        {
            var (line, position) = ImportXml.Where(reader);
            throw new ImportFileException($"A <{what}> has no dsq:id attribute.", line, position);
        }
        return id.Trim();
    }

    /// <summary>A field's text, bounded as every format's is; Disqus puts no elements inside its fields.</summary>
    static string Text(XmlReader reader) => ImportReading.ReadText(reader, markup: false);

    static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    static bool Flag(XmlReader reader) => Text(reader).Trim().Equals("true", StringComparison.OrdinalIgnoreCase);

    static DateTime? Date(XmlReader reader)
    {
        var (line, position) = ImportXml.Where(reader);
        var text = Text(reader).Trim();
        if (text.Length == 0)
        {
            return null;
        }
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
        {
            throw new ImportFileException($"'{(text.Length > 40 ? text[..40] : text)}' is not a date.", line, position);
        }
        return DateTime.SpecifyKind(at, DateTimeKind.Utc);
    }
}
