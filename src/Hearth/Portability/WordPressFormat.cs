using System.Xml;
using static Hearth.Portability.ImportReading;

namespace Hearth.Portability;

/// <summary>
/// Reads a WordPress eXtended RSS export (WXR 1.0 to 1.2): rss/channel/item, one item per post, page, attachment or
/// other post type, each with its wp:comment children. Everything outside items (authors, terms, post bodies, meta)
/// is passed over without being kept.
/// </summary>
public sealed class WordPressFormat : XmlImportFormat
{
    // WXR names its namespace by version (http://wordpress.org/export/1.0/, 1.1/, 1.2/); any of them is read.
    const string WpNamespacePrefix = "http://wordpress.org/export/";

    public override string Name => "wordpress";

    public override IEnumerable<ImportRecord> Read(XmlReader reader) => Guarded(reader, ReadAll(reader));

    static IEnumerable<ImportRecord> ReadAll(XmlReader reader)
    {
        reader.MoveToContent();
        if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "rss" || reader.NamespaceURI != "")
            throw Fail(reader, $"This is not a WordPress export: it starts with <{reader.Name}>, not <rss>");

        while (!reader.EOF)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "item" && reader.NamespaceURI == "")
            {
                foreach (var record in ReadItem(reader))
                    yield return record;
            }
            else
            {
                reader.Read();
            }
        }
    }

    /// <summary>
    /// One item: the thread's fields, then its comments. WordPress writes every post field before the first
    /// wp:comment, so the thread is yielded at the first comment and the comments follow without being held.
    /// An item without comments still yields its thread when it is a published post or page whose comments are
    /// closed, so that a page closed in WordPress is closed in Hearth too; any other item without comments (open ones,
    /// drafts, and the attachments, menu items and shop orders WordPress writes with comments closed) yields nothing.
    /// </summary>
    static IEnumerable<ImportRecord> ReadItem(XmlReader reader)
    {
        var item = new Item();
        var depth = reader.Depth;
        var threadYielded = false;
        if (reader.IsEmptyElement)
        {
            reader.Read();
            yield break;
        }
        reader.Read();
        while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.EOF)
                throw Fail(reader, "The file ends inside an <item>");
            if (reader.NodeType != XmlNodeType.Element)
            {
                reader.Read();
                continue;
            }
            var wp = reader.NamespaceURI.StartsWith(WpNamespacePrefix, StringComparison.Ordinal);
            if (reader.NamespaceURI == "" && reader.LocalName is "link" or "title")
                item.Set(reader.LocalName, ReadText(reader));
            else if (wp && reader.LocalName is "post_id" or "post_type" or "status" or "comment_status" or "post_date_gmt" or "post_date")
                item.Set(reader.LocalName, ReadText(reader));
            else if (wp && reader.LocalName == "comment")
            {
                if (!threadYielded)
                {
                    yield return item.ToThread(reader);
                    threadYielded = true;
                }
                yield return ReadComment(reader, item.PostId!);
            }
            else
                Pass(reader);
        }
        reader.Read();
        if (!threadYielded && item.Closed && item.PublishedPage && item.PostId is not null)
            yield return item.ToThread(reader);
    }

    // The fields kept; comment_author_IP is read past and never kept, comment_user_id and commentmeta are passed over.
    static readonly HashSet<string> CommentFields =
    [
        "comment_id", "comment_author", "comment_author_email", "comment_author_url", "comment_date", "comment_date_gmt",
        "comment_content", "comment_approved", "comment_type", "comment_parent",
    ];

    static ImportRecord ReadComment(XmlReader reader, string threadId)
    {
        var (line, position) = ImportXml.Where(reader);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var depth = reader.Depth;
        if (!reader.IsEmptyElement)
        {
            reader.Read();
            while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
            {
                if (reader.EOF)
                    throw Fail(reader, "The file ends inside a <wp:comment>");
                if (reader.NodeType == XmlNodeType.Element && reader.Depth == depth + 1
                    && reader.NamespaceURI.StartsWith(WpNamespacePrefix, StringComparison.Ordinal) && CommentFields.Contains(reader.LocalName))
                    fields[reader.LocalName] = ReadText(reader);
                else
                    Pass(reader);
            }
        }
        reader.Read();

        string Field(string name) => fields.TryGetValue(name, out var value) ? value.Trim() : "";
        var id = Field("comment_id");
        if (id.Length == 0)
            throw new ImportFileException("A <wp:comment> has no <wp:comment_id>", line, position);

        // Pingbacks and trackbacks are notices from other sites, not conversation; WooCommerce's order notes and
        // other plugin types are private records that must not become public comments.
        var type = Field("comment_type");
        if (type is not ("" or "comment"))
            return new ImportedSkip(id, type, Named: true);

        // comment_date is the site's local time, whose offset the file does not say; it is the fallback only when
        // WordPress left the UTC one at zero, and is then taken as UTC.
        var created = WordPressDate(Field("comment_date_gmt")) ?? WordPressDate(Field("comment_date"))
            ?? throw new ImportFileException($"Comment {id} has no date WordPress could have written", line, position);
        var parent = Field("comment_parent");

        return new ImportedComment(
            SourceId: id,
            ThreadSourceId: threadId,
            ParentSourceId: parent is "" or "0" ? null : parent,
            AuthorName: Field("comment_author"),
            AuthorEmail: Blank(Field("comment_author_email")),
            AuthorUrl: Blank(Field("comment_author_url")),
            CreatedAtUtc: created,
            Html: WordPressParagraphs.ToHtml(fields.GetValueOrDefault("comment_content", "")),
            State: Field("comment_approved") switch
            {
                "1" or "approve" => ImportedState.Approved,
                "spam" => ImportedState.Spam,
                "trash" or "post-trashed" => ImportedState.Deleted,
                _ => ImportedState.Pending,
            });
    }

    sealed class Item
    {
        string? link, title, postType, status, commentStatus, dateGmt, date;
        public string? PostId { get; private set; }

        public void Set(string name, string value)
        {
            switch (name)
            {
                case "link": link = value; break;
                case "title": title = value; break;
                case "post_id": PostId = Blank(value); break;
                case "post_type": postType = value.Trim(); break;
                case "status": status = value.Trim(); break;
                case "comment_status": commentStatus = value.Trim(); break;
                case "post_date_gmt": dateGmt = value; break;
                case "post_date": date = value; break;
            }
        }

        public bool PublishedPage => postType is "post" or "page" && status == "publish";

        // A trashed post takes no comments in WordPress, whatever its comment_status says.
        public bool Closed => commentStatus == "closed" || status == "trash";

        // The permalink is the thread's address: Hearth's embed finds a thread by its page's URL, and WordPress's
        // own comments had no other identifier a page could name. Disqus's WordPress plugin used "{post_id} {guid}",
        // but a site leaving WordPress comments for Hearth never had that plugin, so nothing would ever ask for it.
        public ImportedThread ToThread(XmlReader reader) => new(
            SourceId: PostId ?? throw Fail(reader, "An <item> with comments has no <wp:post_id> before them"),
            Url: Blank(link ?? ""),
            Identifier: null,
            Title: Blank(title ?? ""),
            Closed: Closed,
            CreatedAtUtc: WordPressDate(dateGmt ?? "") ?? WordPressDate(date ?? ""));
    }
}
