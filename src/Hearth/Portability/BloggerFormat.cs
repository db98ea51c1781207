using System.Net;
using System.Xml;
using Hearth.Conversations;
using static Hearth.Portability.ImportReading;

namespace Hearth.Portability;

/// <summary>
/// Reads a Blogger export: an Atom &lt;feed&gt; of entries, in either of the two layouts Blogger has written, told
/// apart entry by entry from what each entry holds.
///
/// The older export (Settings, "Back up content"): each entry's kind is a category of scheme
/// http://schemas.google.com/g/2005#kind with term http://schemas.google.com/blogger/2008/kind#post (or #comment,
/// #page, #settings, #template). A comment names its post with thr:in-reply-to ref="tag:...post-POSTID" and the
/// comment it answers with link rel="related" href=".../comments/default/COMMENTID"; link rel="alternate" is a post's
/// permalink; app:control/app:draft "yes" marks a draft; gd:extendedProperty blogger.contentRemoved marks a comment
/// its author or the blog removed.
///
/// The Takeout export (feed.atom, namespace http://schemas.google.com/blogger/2018): each entry has blogger:type
/// POST, PAGE or COMMENT and blogger:status (LIVE, DRAFT, SCHEDULED, SOFT_TRASHED for posts; for comments LIVE and,
/// as far as can be told, spam, pending and deleted states); a comment names its post in blogger:parent and the
/// comment it answers in blogger:inReplyTo (empty for a top-level comment); blogger:trashed holds a date once an
/// entry is in the bin; blogger:created and published give dates; blogger:filename is the post's path on the blog
/// ("/2011/10/a-post.html"), with no host and no link rel="alternate", so the thread's Url is that path unless the
/// feed itself links to the blog.
///
/// Ids in both are tag URIs ("tag:blogger.com,1999:blog-BLOGID.post-POSTID") or URLs ending in the number; every id
/// is cut to that number, which Blogger keeps unique across a blog's posts and comments, so a reply's related link
/// and its parent's entry id meet.
/// </summary>
public sealed class BloggerFormat : XmlImportFormat
{
    // Blogger allows a blog twenty static pages; a page waits here until a comment shows it has conversation.
    const int MaxPagesWaiting = 1_000;
    // Posts named by comments so far, so a page whose comments came before it is still a thread; bounded so memory
    // stays bounded, which only matters for a page listed after comments of more than this many posts.
    const int MaxThreadsRemembered = 50_000;
    // The longest id staging keeps (ImportStaging.MaxIdLength): a longer one is skipped there as "id too long", so
    // holding it here would only hold memory. An id is cut to its number only when it ends in one, so without this a
    // file could make every id remembered or waiting a million characters long.
    const int MaxIdLength = 200;

    public override string Name => "blogger";

    public override IEnumerable<ImportRecord> Read(XmlReader reader) => Guarded(reader, ReadAll(reader));

    static IEnumerable<ImportRecord> ReadAll(XmlReader reader)
    {
        reader.MoveToContent();
        if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "feed" || reader.NamespaceURI != BloggerEntry.Atom)
            throw Fail(reader, $"This is not a Blogger export: it starts with <{reader.Name}>, not an Atom <feed>");

        var pagesWaiting = new Dictionary<string, ImportedThread>(StringComparer.Ordinal);
        var threadsCommented = new HashSet<string>(StringComparer.Ordinal);
        string? blogUrl = null;
        var feedDepth = reader.Depth;
        reader.Read();
        while (!reader.EOF)
        {
            if (reader.NodeType != XmlNodeType.Element || reader.NamespaceURI != BloggerEntry.Atom || reader.Depth != feedDepth + 1)
            {
                reader.Read();
                continue;
            }
            if (reader.LocalName == "link" && reader.GetAttribute("rel") == "alternate")
            {
                blogUrl = reader.GetAttribute("href");
                reader.Skip();
                continue;
            }
            if (reader.LocalName != "entry")
            {
                reader.Skip();
                continue;
            }

            var entry = BloggerEntry.Read(reader);
            var id = ShortId(entry.Id);
            if (id.Length == 0)
                throw new ImportFileException("An <entry> has no <id>", entry.Line, entry.Position);
            var kind = (entry.Type ?? entry.Kind ?? "").ToLowerInvariant();

            if (kind == "comment")
            {
                var comment = ToComment(entry, id);
                if (comment is ImportedComment { ThreadSourceId: var threadId })
                {
                    if (pagesWaiting.Remove(threadId, out var page))
                        yield return page;
                    if (threadId.Length <= MaxIdLength && threadsCommented.Count < MaxThreadsRemembered)
                        threadsCommented.Add(threadId);
                }
                yield return comment;
            }
            else if (kind is "post" or "page")
            {
                if (NotPublic(entry) is { } reason)
                    yield return new ImportedSkip(id, reason);
                // A page whose id is too long to stage is skipped for that whenever it comes, so it need not wait.
                else if (kind == "post" || threadsCommented.Contains(id) || id.Length > MaxIdLength)
                    yield return ToThread(entry, id, blogUrl);
                else if (pagesWaiting.Count < MaxPagesWaiting)
                    pagesWaiting[id] = Waiting(ToThread(entry, id, blogUrl));
                else
                    yield return new ImportedSkip(id, "page");
            }
            else
                yield return kind.Length == 0 ? new ImportedSkip(id, "entry of no known kind") : new ImportedSkip(id, kind, Named: true);
        }

        // Pages no comment named are not conversation.
        foreach (var page in pagesWaiting.Values)
            yield return new ImportedSkip(page.SourceId, "page");
    }

    static string? NotPublic(BloggerEntry entry) =>
        entry.Draft || entry.Status == "DRAFT" ? "draft"
        : entry.Status == "SCHEDULED" ? "scheduled"
        : entry.Status == "SOFT_TRASHED" || entry.Trashed is not null ? "trashed"
        : null;

    static ImportedThread ToThread(BloggerEntry entry, string id, string? blogUrl) => new(
        SourceId: id,
        Url: entry.AlternateHref ?? OnBlog(entry.Filename, blogUrl),
        Identifier: null,
        Title: Blank(entry.Title ?? ""),
        Closed: false,
        CreatedAtUtc: AtomDate(entry.Published) ?? AtomDate(entry.Created));

    /// <summary>
    /// A page as it waits for comments, holding no more of its title and address than staging could use, so that a
    /// thousand waiting pages are megabytes, not gigabytes. Staging cleans a title and then cuts it to a thread's
    /// length; a title is cleaned here the same way and cut one character longer (two where a pair of surrogates
    /// straddles the cut), so that a space at the cut, which staging keeps and a second cleaning would trim, is not
    /// lost. An address longer than any thread's can never be one: it is dropped rather than cut into another one, and
    /// the page is skipped for want of an address as it was.
    /// </summary>
    static ImportedThread Waiting(ImportedThread page)
    {
        const int Cut = CommentInput.MaxTitleLength;
        var title = page.Title is { Length: > Cut } ? TextRules.CleanName(page.Title) : page.Title;
        if (title is { Length: > Cut + 1 })
            title = title[..(Cut + (char.IsHighSurrogate(title[Cut]) ? 2 : 1))];
        return page with { Title = title, Url = page.Url is { Length: > ThreadAddress.MaxUrlLength } ? null : page.Url };
    }

    static string? OnBlog(string? path, string? blogUrl) =>
        path is not null && blogUrl is not null && Uri.TryCreate(blogUrl, UriKind.Absolute, out var blog)
            && Uri.TryCreate(blog, path, out var url) ? url.ToString() : path;

    static ImportRecord ToComment(BloggerEntry entry, string id)
    {
        var thread = entry.Parent ?? entry.InReplyToRef;
        if (thread is null)
            return new ImportedSkip(id, "comment without its post");
        var parent = entry.InReplyToComment ?? entry.RelatedHref;
        var created = AtomDate(entry.Published) ?? AtomDate(entry.Created) ?? AtomDate(entry.Updated)
            ?? throw new ImportFileException($"Comment {id} has no date", entry.Line, entry.Position);
        var content = entry.Content ?? "";

        return new ImportedComment(
            SourceId: id,
            ThreadSourceId: ShortId(thread),
            ParentSourceId: parent is null ? null : ShortId(parent),
            AuthorName: entry.AuthorName ?? "",
            // Blogger writes this placeholder for every author whose address it does not give.
            AuthorEmail: entry.AuthorEmail is "noreply@blogger.com" ? null : entry.AuthorEmail,
            AuthorUrl: entry.AuthorUri,
            CreatedAtUtc: created,
            Html: entry.ContentType == "text" ? WebUtility.HtmlEncode(content) : content,
            State: CommentState(entry));
    }

    static ImportedState CommentState(BloggerEntry entry)
    {
        if (entry.ContentRemoved || entry.Trashed is not null)
            return ImportedState.Deleted;
        if (entry.Draft)
            return ImportedState.Pending;
        return entry.Status switch
        {
            null or "LIVE" => ImportedState.Approved,
            "SPAM" or "SPAM_COMMENT" or "MARKED_AS_SPAM" => ImportedState.Spam,
            "DELETED" or "EMPTIED" or "SOFT_TRASHED" or "TRASHED" or "REMOVED" => ImportedState.Deleted,
            // PENDING, DRAFT and anything not known here wait for a moderator rather than go public.
            _ => ImportedState.Pending,
        };
    }

    /// <summary>"tag:blogger.com,1999:blog-1.post-42" and ".../comments/default/42" both become "42".</summary>
    static string ShortId(string id)
    {
        id = id.Trim();
        var last = id[(id.LastIndexOfAny(['-', '/', '.']) + 1)..];
        return last.Length > 0 && last.All(char.IsAsciiDigit) ? last : id;
    }
}
