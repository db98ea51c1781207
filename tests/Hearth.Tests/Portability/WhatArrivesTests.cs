using Hearth.Conversations;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Portability;

/// <summary>
/// What docs/import.md says of what arrives, for the cases an export gets wrong: a reply whose parent is not in the file,
/// and an author's address or website that Hearth's own form would refuse.
/// </summary>
public class WhatArrivesTests(HearthApp app) : IClassFixture<HearthApp>
{
    static string Comment(string id, string author, string email, string url, string parent, string words) => $"""
            <wp:comment>
              <wp:comment_id>{id}</wp:comment_id>
              <wp:comment_author><![CDATA[{author}]]></wp:comment_author>
              <wp:comment_author_email>{email}</wp:comment_author_email>
              <wp:comment_author_url>{url}</wp:comment_author_url>
              <wp:comment_date_gmt>2021-03-04 10:0{id}:00</wp:comment_date_gmt>
              <wp:comment_content><![CDATA[{words}]]></wp:comment_content>
              <wp:comment_approved>1</wp:comment_approved>
              <wp:comment_type></wp:comment_type>
              <wp:comment_parent>{parent}</wp:comment_parent>
            </wp:comment>
        """;

    static readonly string File = $"""
        <?xml version="1.0" encoding="UTF-8" ?>
        <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
        <channel>
          <item>
            <title>Odd cases</title>
            <link>https://blog.example/odd/</link>
            <wp:post_id>7</wp:post_id>
            <wp:post_type>post</wp:post_type>
            <wp:status>publish</wp:status>
            {Comment("1", "Root Rita", "rita@mail.example", "https://rita.example/", "0", "The first word.")}
            {Comment("2", "Reply Ray", "ray@mail.example", "https://ray.example/", "1", "An answer to Rita.")}
            {Comment("3", "Lost Lou", "lou@mail.example", "https://lou.example/", "99", "An answer to a comment the export lost.")}
            {Comment("4", "Odd Otto", "not an address", "javascript:alert(1)", "0", "Otto's words stay, his address and website do not.")}
          </item>
        </channel>
        </rss>
        """;

    [Fact]
    public async Task AReplyToACommentNotInTheFileIsTopLevelAndARefusedAddressOrWebsiteIsDroppedNotTheComment()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);

        var summary = await app.ImportAsync(site, File, format: "wordpress");

        Assert.Equal(4, summary.CommentsImported);
        var stored = await app.InDatabaseAsync(db => db.Comments.AsNoTracking().Where(c => c.ImportSource == "wordpress" && c.ImportId != null
            && db.Sites.Any(s => s.Id == c.SiteId && s.Name == site)).ToDictionaryAsync(c => c.ImportId!));
        Assert.Equal((stored["1"].Id, 1), (stored["2"].ParentId!.Value, stored["2"].Depth));
        Assert.Equal((null, 0, CommentStatus.Published), (stored["3"].ParentId, stored["3"].Depth, stored["3"].Status));
        Assert.Null(stored["3"].ReplyToId);
        var otto = stored["4"];
        Assert.Equal(("Odd Otto", CommentStatus.Published), (otto.Author.Name, otto.Status));
        Assert.Contains("Otto's words stay", otto.Html);
        Assert.Equal((null, null), (otto.Author.Email, otto.Author.Website));
        Assert.Equal(("ray@mail.example", "https://ray.example/"), (stored["2"].Author.Email, stored["2"].Author.Website));
    }
}
