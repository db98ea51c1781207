using Hearth.Portability;
using static Hearth.Tests.Portability.ImportFiles;

namespace Hearth.Tests.Portability;

public class WordPressFormatTests
{
    static readonly WordPressFormat Format = new();

    const string Head = """
        <?xml version="1.0" encoding="UTF-8" ?>
        <rss version="2.0"
            xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
            xmlns:content="http://purl.org/rss/1.0/modules/content/"
            xmlns:wfw="http://wellformedweb.org/CommentAPI/"
            xmlns:dc="http://purl.org/dc/elements/1.1/"
            xmlns:wp="http://wordpress.org/export/1.2/">
        <channel>
          <title>A blog</title>
          <link>https://blog.example</link>
          <wp:wxr_version>1.2</wp:wxr_version>
          <wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[admin]]></wp:author_login></wp:author>
          <wp:category><wp:term_id>1</wp:term_id><wp:category_nicename><![CDATA[uncategorized]]></wp:category_nicename></wp:category>
        """;

    const string Tail = "</channel>\n</rss>\n";

    static string Comment(string id, string content = "Hello", string approved = "1", string type = "", string parent = "0",
        string dateGmt = "2020-01-02 03:04:05", string date = "2020-01-02 04:04:05", string author = "Ann",
        string email = "ann@example.com", string url = "") => $"""
            <wp:comment>
              <wp:comment_id>{id}</wp:comment_id>
              <wp:comment_author><![CDATA[{author}]]></wp:comment_author>
              <wp:comment_author_email><![CDATA[{email}]]></wp:comment_author_email>
              <wp:comment_author_url>{url}</wp:comment_author_url>
              <wp:comment_author_IP><![CDATA[203.0.113.9]]></wp:comment_author_IP>
              <wp:comment_date><![CDATA[{date}]]></wp:comment_date>
              <wp:comment_date_gmt><![CDATA[{dateGmt}]]></wp:comment_date_gmt>
              <wp:comment_content><![CDATA[{content}]]></wp:comment_content>
              <wp:comment_approved><![CDATA[{approved}]]></wp:comment_approved>
              <wp:comment_type><![CDATA[{type}]]></wp:comment_type>
              <wp:comment_parent>{parent}</wp:comment_parent>
              <wp:comment_user_id>0</wp:comment_user_id>
              <wp:commentmeta><wp:meta_key><![CDATA[akismet_result]]></wp:meta_key><wp:meta_value><![CDATA[false]]></wp:meta_value></wp:commentmeta>
            </wp:comment>
        """;

    static string Item(string id, string comments = "", string link = "https://blog.example/hello/", string title = "Hello",
        string type = "post", string status = "publish", string commentStatus = "open",
        string dateGmt = "2019-12-31 23:00:00") => $"""
          <item>
            <title>{title}</title>
            <link>{link}</link>
            <pubDate>Tue, 31 Dec 2019 23:00:00 +0000</pubDate>
            <dc:creator><![CDATA[admin]]></dc:creator>
            <guid isPermaLink="false">https://blog.example/?p={id}</guid>
            <description></description>
            <content:encoded><![CDATA[<p>The post's own body, which an import of comments leaves alone.</p>]]></content:encoded>
            <excerpt:encoded><![CDATA[]]></excerpt:encoded>
            <wp:post_id>{id}</wp:post_id>
            <wp:post_date><![CDATA[2020-01-01 00:00:00]]></wp:post_date>
            <wp:post_date_gmt><![CDATA[{dateGmt}]]></wp:post_date_gmt>
            <wp:comment_status><![CDATA[{commentStatus}]]></wp:comment_status>
            <wp:ping_status><![CDATA[open]]></wp:ping_status>
            <wp:post_name><![CDATA[hello]]></wp:post_name>
            <wp:status><![CDATA[{status}]]></wp:status>
            <wp:post_parent>0</wp:post_parent>
            <wp:post_type><![CDATA[{type}]]></wp:post_type>
            <category domain="category" nicename="uncategorized"><![CDATA[Uncategorized]]></category>
            <wp:postmeta><wp:meta_key><![CDATA[_edit_last]]></wp:meta_key><wp:meta_value><![CDATA[1]]></wp:meta_value></wp:postmeta>
        {comments}
          </item>
        """;

    static List<ImportRecord> ReadItems(params string[] items) => Read(Format, Head + string.Concat(items) + Tail);

    [Fact]
    public void A_post_with_comments_gives_its_thread_first_then_each_comment_in_file_order()
    {
        var records = ReadItems(Item("10", Comment("101", parent: "102") + Comment("102")));

        Assert.Equal(
            [
                new ImportedThread("10", "https://blog.example/hello/", null, "Hello", false, Utc(2019, 12, 31, 23, 0, 0)),
                new ImportedComment("101", "10", "102", "Ann", "ann@example.com", null, Utc(2020, 1, 2, 3, 4, 5), "<p>Hello</p>", ImportedState.Approved),
                new ImportedComment("102", "10", null, "Ann", "ann@example.com", null, Utc(2020, 1, 2, 3, 4, 5), "<p>Hello</p>", ImportedState.Approved),
            ],
            records);
        Assert.All(records.OfType<ImportedComment>(), c => Assert.Equal(DateTimeKind.Utc, c.CreatedAtUtc.Kind));
    }

    [Fact]
    public void The_address_of_the_commenter_is_never_carried()
    {
        var records = ReadItems(Item("10", Comment("101")));

        Assert.DoesNotContain("203.0.113.9", string.Join("\n", records.Select(r => r.ToString())));
    }

    [Theory]
    [InlineData("1", ImportedState.Approved)]
    [InlineData("0", ImportedState.Pending)]
    [InlineData("spam", ImportedState.Spam)]
    [InlineData("trash", ImportedState.Deleted)]
    [InlineData("post-trashed", ImportedState.Deleted)]
    public void Each_approval_state_of_WordPress_has_its_state(string approved, ImportedState expected)
    {
        var comment = ReadItems(Item("10", Comment("101", approved: approved))).OfType<ImportedComment>().Single();

        Assert.Equal(expected, comment.State);
    }

    [Theory]
    [InlineData("pingback", "pingback")]
    [InlineData("trackback", "trackback")]
    [InlineData("order_note", "order_note")]
    public void Pingbacks_trackbacks_and_plugin_notes_are_skipped_with_their_kind(string type, string reason)
    {
        var records = ReadItems(Item("10", Comment("101", type: type) + Comment("102", type: "comment")));

        Assert.Equal(new ImportedSkip("101", reason, Named: true), records[1]);
        Assert.Equal("102", Assert.IsType<ImportedComment>(records[2]).SourceId);
    }

    [Fact]
    public void A_comment_whose_utc_date_is_zero_takes_its_local_date()
    {
        var comment = ReadItems(Item("10", Comment("101", dateGmt: "0000-00-00 00:00:00", date: "2015-06-07 08:09:10")))
            .OfType<ImportedComment>().Single();

        Assert.Equal(Utc(2015, 6, 7, 8, 9, 10), comment.CreatedAtUtc);
        Assert.Equal(DateTimeKind.Utc, comment.CreatedAtUtc.Kind);
    }

    [Fact]
    public void A_comment_with_no_date_at_all_is_an_error_naming_its_place()
    {
        var (_, error) = ReadUntilError(Format, Head + Item("10", Comment("101", dateGmt: "0000-00-00 00:00:00", date: "0000-00-00 00:00:00")) + Tail);

        Assert.NotNull(error);
        Assert.Contains("101", error.Message);
        Assert.True(error.Line > 1);
    }

    [Fact]
    public void Published_closed_pages_give_a_closed_thread_even_without_comments_and_other_items_without_comments_give_nothing()
    {
        var records = ReadItems(
            Item("20", type: "page", commentStatus: "closed", link: "https://blog.example/about/", title: "About"),
            Item("21", link: "https://blog.example/quiet/"),
            Item("22", type: "attachment", status: "inherit", link: "https://blog.example/photo/"),
            Item("25", type: "nav_menu_item", commentStatus: "closed", link: "https://blog.example/menu-item/"),
            Item("26", status: "draft", commentStatus: "closed", link: "https://blog.example/?p=26"),
            Item("27", type: "attachment", status: "inherit", commentStatus: "closed", link: "https://blog.example/photo-2/"),
            Item("23", Comment("231"), commentStatus: "closed", link: "https://blog.example/closed/"),
            Item("24", Comment("241"), status: "trash", link: "https://blog.example/binned/"));

        Assert.Equal(
            [("20", true), ("23", true), ("24", true)],
            records.OfType<ImportedThread>().Select(t => (t.SourceId, t.Closed)));
        Assert.Equal(["231", "241"], records.OfType<ImportedComment>().Select(c => c.SourceId));
    }

    [Fact]
    public void Comments_of_pages_attachments_and_other_post_types_give_their_threads_too()
    {
        var records = ReadItems(
            Item("50", Comment("501"), type: "page", link: "https://blog.example/about/"),
            Item("51", Comment("511"), type: "attachment", status: "inherit", link: "https://blog.example/photo/"),
            Item("52", Comment("521"), type: "recipe", link: "https://blog.example/recipes/soup/"));

        Assert.Equal(
            ["50 https://blog.example/about/", "501 in 50", "51 https://blog.example/photo/", "511 in 51", "52 https://blog.example/recipes/soup/", "521 in 52"],
            records.Select(r => r is ImportedThread t ? $"{t.SourceId} {t.Url}" : r is ImportedComment c ? $"{c.SourceId} in {c.ThreadSourceId}" : "?"));
    }

    [Fact]
    public void Comments_of_an_item_with_an_empty_link_keep_their_thread_without_a_url()
    {
        var records = ReadItems(Item("30", Comment("301"), link: "", title: ""));

        var thread = Assert.IsType<ImportedThread>(records[0]);
        Assert.Equal(("30", null, null, null), (thread.SourceId, thread.Url, thread.Identifier, thread.Title));
        Assert.Equal("30", Assert.IsType<ImportedComment>(records[1]).ThreadSourceId);
    }

    [Fact]
    public void Cdata_entities_unicode_and_emoji_come_through_as_written()
    {
        var xml = Head + Item("40", title: "Caf&#233; &amp; <![CDATA[<b>bar</b>]]>",
            comments: Comment("401", author: "Zoë 🦊 Ünal", content: "Ça va? &amp; 5 < 6 — 日本語 😀", url: "https://zoe.example/?a=1&amp;b=2")) + Tail;

        var records = Read(Format, xml);

        var thread = Assert.IsType<ImportedThread>(records[0]);
        Assert.Equal("Café & <b>bar</b>", thread.Title);
        var comment = Assert.IsType<ImportedComment>(records[1]);
        Assert.Equal("Zoë 🦊 Ünal", comment.AuthorName);
        Assert.Equal("https://zoe.example/?a=1&b=2", comment.AuthorUrl);
        // Inside CDATA "&amp;" is the comment's own HTML for "&", and stays so; nothing is escaped twice.
        Assert.Equal("<p>Ça va? &amp; 5 < 6 — 日本語 😀</p>", comment.Html);
    }

    [Fact]
    public void Markup_with_a_script_is_passed_on_as_markup_for_the_sanitiser()
    {
        var comment = ReadItems(Item("10", Comment("101", content: "Look <script>alert('x')</script> <a href=\"https://a.example\" onclick=\"x()\">here</a>")))
            .OfType<ImportedComment>().Single();

        Assert.Equal("<p>Look <script>alert('x')</script> <a href=\"https://a.example\" onclick=\"x()\">here</a></p>", comment.Html);
    }

    [Theory]
    [InlineData("One line", "<p>One line</p>")]
    [InlineData("First\nsecond", "<p>First<br />\nsecond</p>")]
    [InlineData("First\r\n\r\nSecond\r\nthird", "<p>First</p>\n<p>Second<br />\nthird</p>")]
    [InlineData("  \n\nSpaced\n\n\n\nout\n  ", "<p>Spaced</p>\n<p>out</p>")]
    [InlineData("Line<br />\nnext", "<p>Line<br />\nnext</p>")]
    [InlineData("<blockquote>Quoted</blockquote>\n\nReply", "<blockquote>Quoted</blockquote>\n<p>Reply</p>")]
    [InlineData("<p>Already a paragraph</p>", "<p>Already a paragraph</p>")]
    [InlineData("Code:\n\n<pre>a\n\n  b</pre>\n\nDone", "<p>Code:</p>\n<pre>a\n\n  b</pre>\n<p>Done</p>")]
    [InlineData("<em>Fine</em> &amp; dandy", "<p><em>Fine</em> &amp; dandy</p>")]
    [InlineData("", "")]
    public void Comment_text_becomes_html_as_WordPress_shows_it(string content, string html)
    {
        var comment = ReadItems(Item("10", Comment("101", content: content))).OfType<ImportedComment>().Single();

        Assert.Equal(html, comment.Html);
    }

    [Fact]
    public void Empty_author_email_and_url_are_none_and_an_empty_name_stays_empty()
    {
        var comment = ReadItems(Item("10", Comment("101", author: "", email: "", url: ""))).OfType<ImportedComment>().Single();

        Assert.Equal(("", null, null), (comment.AuthorName, comment.AuthorEmail, comment.AuthorUrl));
    }

    [Fact]
    public void An_older_export_version_is_read_the_same()
    {
        var xml = (Head + Item("10", Comment("101")) + Tail).Replace("http://wordpress.org/export/1.2/", "http://wordpress.org/export/1.0/");

        Assert.Equal(["10", "101"], Read(Format, xml).Select(r => r switch
        {
            ImportedThread t => t.SourceId,
            ImportedComment c => c.SourceId,
            _ => "?",
        }));
    }

    [Fact]
    public void A_file_that_is_not_a_WordPress_export_is_refused()
    {
        var (_, error) = ReadUntilError(Format, "<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>");

        Assert.NotNull(error);
        Assert.Contains("not a WordPress export", error.Message);
        Assert.Equal((1, 2), (error.Line, error.Position));
    }

    [Fact]
    public void A_billion_laughs_dtd_is_refused_before_anything_is_expanded()
    {
        var (records, error) = ReadUntilError(Format, BillionLaughs + "<rss><channel><item><title>&lol9;</title></item></channel></rss>");

        Assert.Empty(records);
        Assert.NotNull(error);
        // The runtime refuses a DTD before it has read a node, so it gives no line: the message names the place.
        Assert.Contains("<!DOCTYPE", error.Message);
        Assert.IsType<System.Xml.XmlException>(error.InnerException);
    }

    [Fact]
    public void A_truncated_file_fails_naming_the_line_and_position_where_it_ends()
    {
        var whole = Head + Item("10", Comment("101") + Comment("102")) + Tail;
        var cut = whole[..(whole.IndexOf("<wp:comment_id>102", StringComparison.Ordinal) + 20)];

        var (records, error) = ReadUntilError(Format, cut);

        Assert.NotNull(error);
        Assert.Equal(cut.Split('\n').Length, error.Line);
        Assert.Contains($"line {error.Line}, position {error.Position}", error.Message);
        Assert.IsType<System.Xml.XmlException>(error.InnerException);
        Assert.Equal(["10", "101"], records.Select(r => r is ImportedThread t ? t.SourceId : ((ImportedComment)r).SourceId));
    }

    [Fact]
    public void Mismatched_tags_fail_with_their_place()
    {
        var (_, error) = ReadUntilError(Format, Head + "<item><title>x</link></item>" + Tail);

        Assert.NotNull(error);
        Assert.True(error.Line > 1 && error.Position > 0);
    }

    [Fact]
    public void A_field_longer_than_any_comment_could_be_is_refused_rather_than_held()
    {
        var (_, error) = ReadUntilError(Format, Head + Item("10", Comment("101", content: new string('x', 1_100_000))) + Tail);

        Assert.NotNull(error);
        Assert.Contains("longer than", error.Message);
    }
}
