using System.Globalization;
using System.Text;
using System.Xml;
using Hearth.Conversations;
using Hearth.Sites;
using Hearth.Storage;

namespace Hearth.Portability;

/// <summary>
/// hearth export --format disqus: the site as a Disqus XML export, which Disqus and the systems that import from it
/// read. Hearth's ids are the dsq:ids, so replies name their parents and posts their threads.
/// </summary>
/// <remarks>
/// Disqus knows a post as public, deleted or spam, nothing else. Published comments are written as public, tombstones
/// as deleted and spam as spam, as Disqus itself writes them. Comments waiting for a moderator and rejected ones are
/// left out, since a reader that sees them would publish them: with --all they are written as spam, the one state every
/// reader keeps out of view, so nothing a moderator held back goes public on the other side.
/// </remarks>
public static class DisqusExport
{
    public const string Namespace = "http://disqus.com";
    public const string Internals = "http://disqus.com/disqus-internals";

    public static async Task WriteAsync(HearthDb db, Site site, Stream output, bool all, CancellationToken ct)
    {
        await using var xml = XmlWriter.Create(output, new XmlWriterSettings
        {
            Async = true,
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = true,
            CloseOutput = false,
        });
        await xml.WriteStartDocumentAsync();
        await xml.WriteStartElementAsync(null, "disqus", Namespace);
        await xml.WriteAttributeStringAsync("xmlns", "dsq", null, Internals);
        var category = site.Id.ToString(CultureInfo.InvariantCulture);

        await xml.WriteStartElementAsync(null, "category", Namespace);
        await IdAsync(xml, category);
        await ElementAsync(xml, "forum", site.Name);
        await ElementAsync(xml, "title", "General");
        await ElementAsync(xml, "isDefault", "true");
        await xml.WriteEndElementAsync();

        await foreach (var thread in ExportPages.ThreadsAsync(db, site.Id, ct))
        {
            await xml.WriteStartElementAsync(null, "thread", Namespace);
            await IdAsync(xml, Id(thread.Id));
            await ElementAsync(xml, "id", thread.Identifier ?? "");
            await ElementAsync(xml, "forum", site.Name);
            await xml.WriteStartElementAsync(null, "category", Namespace);
            await IdAsync(xml, category);
            await xml.WriteEndElementAsync();
            await ElementAsync(xml, "link", thread.Url);
            await ElementAsync(xml, "title", thread.Title ?? "");
            await ElementAsync(xml, "message", "");
            await ElementAsync(xml, "createdAt", Date(thread.CreatedAt));
            // Hearth's threads have no author; Disqus's belong to the forum, which is the site here.
            await AuthorAsync(xml, site.Name, email: null, anonymous: true);
            await ElementAsync(xml, "isClosed", Bool(thread.Locked));
            await ElementAsync(xml, "isDeleted", "false");
            await xml.WriteEndElementAsync();
        }

        await foreach (var comment in ExportPages.CommentsAsync(db, site.Id, ct))
        {
            if (comment.Status is CommentStatus.Pending or CommentStatus.Rejected && !all)
            {
                continue;
            }
            var deleted = comment.Status == CommentStatus.Deleted;
            var spam = comment.Status is CommentStatus.Spam or CommentStatus.Pending or CommentStatus.Rejected;
            await xml.WriteStartElementAsync(null, "post", Namespace);
            await IdAsync(xml, Id(comment.Id));
            await ElementAsync(xml, "id", "");
            await xml.WriteStartElementAsync(null, "message", Namespace);
            // XmlWriter splits a "]]>" in the HTML across two sections, so no comment ends its CDATA early.
            await xml.WriteCDataAsync(comment.Html);
            await xml.WriteEndElementAsync();
            await ElementAsync(xml, "createdAt", Date(comment.CreatedAt));
            await ElementAsync(xml, "isDeleted", Bool(deleted));
            await ElementAsync(xml, "isSpam", Bool(spam));
            await AuthorAsync(xml, comment.Author.Name, comment.Author.Email, comment.Author.Kind == AuthorKind.Guest);
            await xml.WriteStartElementAsync(null, "thread", Namespace);
            await IdAsync(xml, Id(comment.ThreadId));
            await xml.WriteEndElementAsync();
            if (comment.ParentId is { } parent)
            {
                await xml.WriteStartElementAsync(null, "parent", Namespace);
                await IdAsync(xml, Id(parent));
                await xml.WriteEndElementAsync();
            }
            // The writer hands its buffer to the output whenever it fills: memory stays one buffer, whatever the site's size.
            await xml.WriteEndElementAsync();
        }
        await xml.WriteEndElementAsync();
        await xml.WriteEndDocumentAsync();
        await xml.FlushAsync();
    }

    static async Task AuthorAsync(XmlWriter xml, string name, string? email, bool anonymous)
    {
        await xml.WriteStartElementAsync(null, "author", Namespace);
        if (email is not null)
        {
            await ElementAsync(xml, "email", email);
        }
        await ElementAsync(xml, "name", name);
        await ElementAsync(xml, "isAnonymous", Bool(anonymous));
        await xml.WriteEndElementAsync();
    }

    static Task IdAsync(XmlWriter xml, string id) => xml.WriteAttributeStringAsync("dsq", "id", Internals, id);

    static Task ElementAsync(XmlWriter xml, string name, string value) => xml.WriteElementStringAsync(null, name, Namespace, value);

    static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    static string Bool(bool value) => value ? "true" : "false";

    static string Date(DateTime at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
