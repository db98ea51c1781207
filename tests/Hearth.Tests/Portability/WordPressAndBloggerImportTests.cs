using System.Text.Json;
using Hearth.Conversations;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Portability;

/// <summary>WordPress and Blogger exports arrive through the same import as Disqus's: trees, states, once only.</summary>
public class WordPressAndBloggerImportTests(HearthApp app) : IClassFixture<HearthApp>
{
    const string WordPress = """
        <?xml version="1.0" encoding="UTF-8" ?>
        <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
            xmlns:wp="http://wordpress.org/export/1.2/">
        <channel>
          <title>A blog</title>
          <item>
            <title>Sourdough at home</title>
            <link>https://blog.example/sourdough/?utm_source=feed</link>
            <wp:post_id>41</wp:post_id>
            <wp:post_type>post</wp:post_type>
            <wp:status>publish</wp:status>
            <wp:comment_status>closed</wp:comment_status>
            <wp:comment>
              <wp:comment_id>3</wp:comment_id>
              <wp:comment_author><![CDATA[Bea Baker]]></wp:comment_author>
              <wp:comment_author_email>bea@mail.example</wp:comment_author_email>
              <wp:comment_author_url>https://bea.example/</wp:comment_author_url>
              <wp:comment_author_IP>203.0.113.9</wp:comment_author_IP>
              <wp:comment_date_gmt>2021-03-04 10:00:00</wp:comment_date_gmt>
              <wp:comment_content><![CDATA[Mine rose overnight.
        Thanks <script>alert(1)</script>for the tip!]]></wp:comment_content>
              <wp:comment_approved>1</wp:comment_approved>
              <wp:comment_type></wp:comment_type>
              <wp:comment_parent>2</wp:comment_parent>
            </wp:comment>
            <wp:comment>
              <wp:comment_id>2</wp:comment_id>
              <wp:comment_author><![CDATA[Al Flour 🍞]]></wp:comment_author>
              <wp:comment_date_gmt>2021-03-04 09:00:00</wp:comment_date_gmt>
              <wp:comment_content><![CDATA[How long do you proof it?]]></wp:comment_content>
              <wp:comment_approved>1</wp:comment_approved>
              <wp:comment_parent>0</wp:comment_parent>
            </wp:comment>
            <wp:comment>
              <wp:comment_id>4</wp:comment_id>
              <wp:comment_author><![CDATA[Cheap Pills]]></wp:comment_author>
              <wp:comment_date_gmt>2021-03-04 11:00:00</wp:comment_date_gmt>
              <wp:comment_content><![CDATA[Buy now]]></wp:comment_content>
              <wp:comment_approved>spam</wp:comment_approved>
              <wp:comment_parent>0</wp:comment_parent>
            </wp:comment>
            <wp:comment>
              <wp:comment_id>5</wp:comment_id>
              <wp:comment_author><![CDATA[Another Blog]]></wp:comment_author>
              <wp:comment_date_gmt>2021-03-04 12:00:00</wp:comment_date_gmt>
              <wp:comment_content><![CDATA[We linked to you]]></wp:comment_content>
              <wp:comment_approved>1</wp:comment_approved>
              <wp:comment_type>pingback</wp:comment_type>
              <wp:comment_parent>0</wp:comment_parent>
            </wp:comment>
          </item>
        </channel>
        </rss>
        """;

    const string Blogger = """
        <?xml version='1.0' encoding='utf-8'?>
        <feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
          <id>tag:blogger.com,1999:blog-9</id>
          <title>A Takeout blog</title>
          <entry>
            <id>tag:blogger.com,1999:blog-9.post-12</id>
            <blogger:parent>tag:blogger.com,1999:blog-9.post-10</blogger:parent>
            <blogger:inReplyTo>tag:blogger.com,1999:blog-9.post-11</blogger:inReplyTo>
            <blogger:type>COMMENT</blogger:type>
            <blogger:status>LIVE</blogger:status>
            <author><name>Dot Replies</name></author>
            <content type='html'>&lt;p&gt;Same here!&lt;/p&gt;</content>
            <published>2019-02-03T06:00:00Z</published>
          </entry>
          <entry>
            <id>tag:blogger.com,1999:blog-9.post-10</id>
            <blogger:type>POST</blogger:type>
            <blogger:status>LIVE</blogger:status>
            <author><name>The author</name></author>
            <title>Our trip north</title>
            <content type='html'>&lt;p&gt;The post&lt;/p&gt;</content>
            <published>2019-02-03T04:00:00Z</published>
            <blogger:filename>/2019/02/trip-north.html</blogger:filename>
          </entry>
          <entry>
            <id>tag:blogger.com,1999:blog-9.post-11</id>
            <blogger:parent>tag:blogger.com,1999:blog-9.post-10</blogger:parent>
            <blogger:type>COMMENT</blogger:type>
            <blogger:status>LIVE</blogger:status>
            <author><name>Cy Comments</name></author>
            <content type='html'>&lt;p&gt;Lovely photos of the fjords.&lt;/p&gt;</content>
            <published>2019-02-03T05:00:00Z</published>
          </entry>
        </feed>
        """;

    [Fact]
    public async Task AWordPressExportArrivesWithItsTreeItsStatesAndOnlyOnce()
    {
        var site = await app.CreateSiteAsync();
        var summary = await app.ImportAsync(site, WordPress, format: "wordpress");
        Assert.Equal((1, 3L), (summary.ThreadsCreated, summary.CommentsImported));
        Assert.Equal(1, summary.Skipped["pingback"]);

        var thread = await app.CreateClient().ThreadAsync(site, "https://blog.example/sourdough/");
        Assert.True(thread.GetProperty("thread").GetProperty("locked").GetBoolean());
        Assert.Equal(2, thread.GetProperty("thread").GetProperty("commentCount").GetInt32());
        var comments = thread.GetProperty("comments").EnumerateArray().ToDictionary(c => c.GetProperty("author").GetProperty("name").GetString()!);
        Assert.Equal(comments["Al Flour 🍞"].Id(), comments["Bea Baker"].GetProperty("parentId").GetInt64());
        Assert.Equal("2021-03-04T10:00:00Z", comments["Bea Baker"].GetProperty("createdAt").GetString());
        var html = comments["Bea Baker"].GetProperty("html").GetString()!;
        Assert.Contains("Mine rose overnight.", html);
        Assert.DoesNotContain("script", html);
        // The spam is kept, out of view; the address typed is kept privately; no address of the commenter's machine is.
        var spam = await app.InDatabaseAsync(db => db.Comments.AsNoTracking().SingleAsync(c => c.Author.Name == "Cheap Pills" && db.Sites.Any(s => s.Id == c.SiteId && s.Name == site)));
        Assert.Equal(CommentStatus.Spam, spam.Status);
        Assert.Null(spam.IpHash);
        Assert.Equal("bea@mail.example", await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == comments["Bea Baker"].Id()).Select(c => c.Author.Email).SingleAsync()));

        var again = await app.ImportAsync(site, WordPress, format: "wordpress");
        Assert.Equal((0, 1, 0L, 3L), (again.ThreadsCreated, again.ThreadsMatched, again.CommentsImported, again.AlreadyPresent));
    }

    [Fact]
    public async Task ABloggerTakeoutExportFindsItsPagesOnTheSitesOriginAndItsRepliesBeforeTheirParents()
    {
        var site = await app.CreateSiteAsync();
        var summary = await app.ImportAsync(site, Blogger, format: "blogger");
        Assert.Equal((1, 2L), (summary.ThreadsCreated, summary.CommentsImported));

        var thread = await app.CreateClient().ThreadAsync(site, "https://blog.example/2019/02/trip-north.html");
        var comments = thread.GetProperty("comments").EnumerateArray().ToDictionary(c => c.GetProperty("author").GetProperty("name").GetString()!);
        Assert.Equal(comments["Cy Comments"].Id(), comments["Dot Replies"].GetProperty("parentId").GetInt64());
        Assert.Equal(JsonValueKind.Null, comments["Cy Comments"].GetProperty("parentId").ValueKind);
    }
}
