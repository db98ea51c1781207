using System.Xml;
using static Hearth.Portability.ImportReading;

namespace Hearth.Portability;

/// <summary>
/// The fields of one Blogger &lt;entry&gt;, in either layout, read without recursion: the entry's own children, and
/// one level further inside &lt;author&gt; and &lt;app:control&gt;. Anything else (labels, locations, media) is passed over.
/// </summary>
internal sealed class BloggerEntry
{
    public const string Atom = "http://www.w3.org/2005/Atom";
    public const string Blogger2018 = "http://schemas.google.com/blogger/2018";
    const string Thread = "http://purl.org/syndication/thread/1.0";
    const string GoogleData = "http://schemas.google.com/g/2005";
    const string KindScheme = "http://schemas.google.com/g/2005#kind";

    public string Id = "";
    public int Line, Position;
    /// <summary>The older export's kind, from its category term: post, comment, page, settings, template.</summary>
    public string? Kind;
    /// <summary>The Takeout export's blogger:type (POST, PAGE, COMMENT); its presence says which layout this is.</summary>
    public string? Type;
    public string? Status, Parent, InReplyToComment, Filename, Created, Trashed;
    public string? Title, Content, ContentType, Published, Updated;
    public string? AlternateHref, RelatedHref, InReplyToRef;
    public string? AuthorName, AuthorUri, AuthorEmail;
    public bool Draft, ContentRemoved;

    public static BloggerEntry Read(XmlReader reader)
    {
        var entry = new BloggerEntry();
        (entry.Line, entry.Position) = ImportXml.Where(reader);
        var depth = reader.Depth;
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return entry;
        }
        string? section = null;
        reader.Read();
        while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.EOF)
                throw Fail(reader, "The file ends inside an <entry>");
            if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth + 1)
                section = null;
            if (reader.NodeType != XmlNodeType.Element)
            {
                reader.Read();
                continue;
            }
            if (reader.Depth == depth + 1)
                entry.ReadChild(reader, ref section);
            else if (reader.Depth == depth + 2 && section is not null)
                entry.ReadGrandchild(reader, section);
            else
                Pass(reader);
        }
        reader.Read();
        return entry;
    }

    void ReadChild(XmlReader reader, ref string? section)
    {
        var (ns, name) = (reader.NamespaceURI, reader.LocalName);
        if (ns == Atom)
        {
            switch (name)
            {
                case "id": Id = ReadText(reader).Trim(); return;
                case "title": Title = ReadText(reader); return;
                case "published": Published = ReadText(reader); return;
                case "updated": Updated = ReadText(reader); return;
                case "content":
                    ContentType = reader.GetAttribute("type");
                    Content = ReadText(reader);
                    return;
                case "category" when reader.GetAttribute("scheme") == KindScheme:
                    var term = reader.GetAttribute("term") ?? "";
                    Kind = term[(term.LastIndexOf('#') + 1)..];
                    break;
                case "link" when reader.GetAttribute("rel") == "alternate": AlternateHref = reader.GetAttribute("href"); break;
                case "link" when reader.GetAttribute("rel") == "related": RelatedHref = reader.GetAttribute("href"); break;
                case "author" when !reader.IsEmptyElement:
                    section = "author";
                    reader.Read();
                    return;
            }
        }
        else if (ns == Blogger2018)
        {
            switch (name)
            {
                case "type": Type = ReadText(reader).Trim(); return;
                case "status": Status = ReadText(reader).Trim(); return;
                case "parent": Parent = Blank(ReadText(reader)); return;
                case "inReplyTo": InReplyToComment = Blank(ReadText(reader)); return;
                case "filename": Filename = Blank(ReadText(reader)); return;
                case "created": Created = ReadText(reader); return;
                case "trashed": Trashed = Blank(ReadText(reader)); return;
            }
        }
        else if (ns == Thread && name == "in-reply-to")
            InReplyToRef = reader.GetAttribute("ref");
        else if (ns == GoogleData && name == "extendedProperty" && reader.GetAttribute("name") == "blogger.contentRemoved")
            ContentRemoved = reader.GetAttribute("value") == "true";
        else if (name == "control" && !reader.IsEmptyElement)
        {
            // app:control, in the Atom Publishing Protocol's older or final namespace.
            section = "control";
            reader.Read();
            return;
        }
        Pass(reader);
    }

    void ReadGrandchild(XmlReader reader, string section)
    {
        var name = reader.LocalName;
        if (section == "author" && reader.NamespaceURI == Atom && name is "name" or "uri" or "email")
        {
            var value = Blank(ReadText(reader));
            if (name == "name") AuthorName = value;
            else if (name == "uri") AuthorUri = value;
            else AuthorEmail = value;
        }
        else if (section == "control" && name == "draft")
            Draft = ReadText(reader).Trim() == "yes";
        else
            Pass(reader);
    }
}
