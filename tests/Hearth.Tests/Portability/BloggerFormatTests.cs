using Hearth.Portability;
using static Hearth.Tests.Portability.ImportFiles;

namespace Hearth.Tests.Portability;

public class BloggerFormatTests
{
    static readonly BloggerFormat Format = new();

    const string Blog = "tag:blogger.com,1999:blog-777";
    const string Kind = "http://schemas.google.com/blogger/2008/kind#";

    /// <summary>The older export (Settings, Back up content).</summary>
    static string Classic(params string[] entries) => $"""
        <?xml version='1.0' encoding='UTF-8'?>
        <?xml-stylesheet href="http://www.blogger.com/styles/atom.css" type="text/css"?>
        <feed xmlns='http://www.w3.org/2005/Atom' xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/'
              xmlns:gd='http://schemas.google.com/g/2005' xmlns:thr='http://purl.org/syndication/thread/1.0'
              xmlns:georss='http://www.georss.org/georss'>
          <id>{Blog}.archive</id>
          <updated>2021-03-04T05:06:07.000-08:00</updated>
          <title type='text'>A Blogger blog</title>
          <link rel='alternate' type='text/html' href='https://a.blogspot.com/'/>
          <generator version='7.00' uri='http://www.blogger.com'>Blogger</generator>
        {string.Concat(entries)}
        </feed>
        """;

    static string ClassicEntry(string id, string kind, string extra = "", string title = "A title", string content = "",
        string published = "2020-05-06T07:08:09.000+02:00") => $"""
          <entry>
            <id>{Blog}.{id}</id>
            <published>{published}</published>
            <updated>2020-05-06T07:08:09.000+02:00</updated>
            <category scheme='http://schemas.google.com/g/2005#kind' term='{Kind}{kind}'/>
            <category scheme='http://www.blogger.com/atom/ns#' term='A label'/>
            <title type='text'>{title}</title>
            <content type='html'>{content}</content>
            <author><name>Bea</name><uri>https://www.blogger.com/profile/1</uri><email>noreply@blogger.com</email>
              <gd:image rel='http://schemas.google.com/g/2005#thumbnail' width='16' height='16' src='https://img.example/b.png'/></author>
            {extra}
          </entry>
        """;

    static string ClassicPost(string postId, string url, string extra = "", string kind = "post") =>
        ClassicEntry($"post-{postId}", kind, $"""
            <link rel='replies' type='application/atom+xml' href='https://a.blogspot.com/feeds/{postId}/comments/default' title='Comments'/>
            <link rel='edit' type='application/atom+xml' href='https://www.blogger.com/feeds/777/posts/default/{postId}'/>
            <link rel='self' type='application/atom+xml' href='https://www.blogger.com/feeds/777/posts/default/{postId}'/>
            <link rel='alternate' type='text/html' href='{url}' title='A title'/>
            <thr:total>2</thr:total>
            {extra}
            """);

    static string ClassicComment(string commentId, string postId, string? parentId = null, string content = "Nice", string extra = "") =>
        ClassicEntry($"post-{commentId}", "comment", $"""
            <link rel='edit' type='application/atom+xml' href='https://www.blogger.com/feeds/777/{postId}/comments/default/{commentId}'/>
            <link rel='alternate' type='text/html' href='https://a.blogspot.com/2020/05/p.html?showComment=1#c{commentId}'/>
            {(parentId is null ? "" : $"<link rel='related' type='application/atom+xml' href='https://www.blogger.com/feeds/777/{postId}/comments/default/{parentId}'/>")}
            <thr:in-reply-to xmlns:thr='http://purl.org/syndication/thread/1.0' href='https://a.blogspot.com/2020/05/p.html' ref='{Blog}.post-{postId}' source='https://www.blogger.com/feeds/777/posts/default/{postId}' type='text/html'/>
            <gd:extendedProperty name='blogger.itemClass' value='pid-1'/>
            <gd:extendedProperty name='blogger.displayTime' value='6 May 2020 at 07:08'/>
            {extra}
            """, title: "", content: content, published: "2020-05-07T10:00:00.000-07:00");

    [Fact]
    public void Settings_and_template_entries_are_skipped_by_kind_and_a_post_gives_its_thread()
    {
        var records = Read(Format, Classic(
            ClassicEntry("settings.BLOG_NAME", "settings", content: "A Blogger blog"),
            ClassicEntry("layout", "template", content: "&lt;html&gt;&lt;b:skin/&gt;&lt;/html&gt;"),
            ClassicPost("100", "https://a.blogspot.com/2020/05/p.html")));

        Assert.Equal(
            [
                new ImportedSkip($"{Blog}.settings.BLOG_NAME", "settings", Named: true),
                new ImportedSkip($"{Blog}.layout", "template", Named: true),
                new ImportedThread("100", "https://a.blogspot.com/2020/05/p.html", null, "A title", false, Utc(2020, 5, 6, 5, 8, 9)),
            ],
            records);
        Assert.Equal(DateTimeKind.Utc, ((ImportedThread)records[2]).CreatedAtUtc!.Value.Kind);
    }

    [Fact]
    public void A_reply_listed_before_its_parent_names_the_parent_by_its_related_link()
    {
        var records = Read(Format, Classic(
            ClassicComment("202", "100", parentId: "201"),
            ClassicPost("100", "https://a.blogspot.com/2020/05/p.html"),
            ClassicComment("201", "100")));

        Assert.Equal(
            [
                new ImportedComment("202", "100", "201", "Bea", null, "https://www.blogger.com/profile/1", Utc(2020, 5, 7, 17, 0, 0), "Nice", ImportedState.Approved),
                new ImportedThread("100", "https://a.blogspot.com/2020/05/p.html", null, "A title", false, Utc(2020, 5, 6, 5, 8, 9)),
                new ImportedComment("201", "100", null, "Bea", null, "https://www.blogger.com/profile/1", Utc(2020, 5, 7, 17, 0, 0), "Nice", ImportedState.Approved),
            ],
            records);
    }

    [Fact]
    public void Html_with_entities_unicode_emoji_and_script_comes_through_as_the_comment_had_it()
    {
        var content = "&lt;p&gt;Zoë &amp;amp; 日本語 😀 &#128512;&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;<![CDATA[<br /><i>é</i>]]>";

        var comment = Read(Format, Classic(ClassicComment("201", "100", content: content))).OfType<ImportedComment>().Single();

        Assert.Equal("<p>Zoë &amp; 日本語 😀 😀</p><script>alert(1)</script><br /><i>é</i>", comment.Html);
    }

    [Fact]
    public void A_removed_comment_is_deleted_and_a_draft_post_is_skipped()
    {
        var records = Read(Format, Classic(
            ClassicPost("300", "https://a.blogspot.com/draft.html", "<app:control xmlns:app='http://purl.org/atom/app#'><app:draft>yes</app:draft></app:control>"),
            ClassicComment("201", "100", extra: "<gd:extendedProperty name='blogger.contentRemoved' value='true'/>")));

        Assert.Equal(new ImportedSkip("300", "draft"), records[0]);
        Assert.Equal(ImportedState.Deleted, Assert.IsType<ImportedComment>(records[1]).State);
    }

    [Fact]
    public void A_page_is_a_thread_only_when_comments_name_it_whether_they_come_before_or_after_it()
    {
        var records = Read(Format, Classic(
            ClassicPost("400", "https://a.blogspot.com/p/about.html", kind: "page"),
            ClassicComment("401", "400"),
            ClassicComment("411", "410"),
            ClassicPost("410", "https://a.blogspot.com/p/contact.html", kind: "page"),
            ClassicPost("420", "https://a.blogspot.com/p/quiet.html", kind: "page")));

        Assert.Equal(
            [
                "thread 400 https://a.blogspot.com/p/about.html", "comment 401", "comment 411",
                "thread 410 https://a.blogspot.com/p/contact.html", "skip 420 page",
            ],
            records.Select(Describe));
    }

    /// <summary>The Takeout export (feed.atom).</summary>
    static string Takeout(string feedLink, params string[] entries) => $"""
        <?xml version='1.0' encoding='utf-8'?>
        <feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
          <id>{Blog}</id>
          <title>A Takeout blog</title>
          {feedLink}
        {string.Concat(entries)}
        </feed>
        """;

    static string TakeoutEntry(string id, string type, string status = "LIVE", string extra = "", string content = "&lt;p&gt;Hi&lt;/p&gt;",
        string author = "<name>Cy</name><uri>https://cy.example/</uri><blogger:type>ANONYMOUS</blogger:type>") => $"""
          <entry>
            <id>{Blog}.post-{id}</id>
            {extra}
            <blogger:type>{type}</blogger:type>
            <blogger:status>{status}</blogger:status>
            <author>{author}</author>
            <title>Title {id}</title>
            <content type='html'>{content}</content>
            <blogger:created>2019-01-02T03:04:05.678Z</blogger:created>
            <published>2019-02-03T04:05:06Z</published>
            <updated>2019-02-03T04:05:06Z</updated>
            <blogger:location><blogger:name>Somewhere</blogger:name><blogger:latitude>1.5</blogger:latitude></blogger:location>
            <blogger:filename>/2019/02/post-{id}.html</blogger:filename>
          </entry>
        """;

    static string TakeoutComment(string id, string post, string inReplyTo = "", string status = "LIVE", string trashed = "") =>
        TakeoutEntry(id, "COMMENT", status,
            $"<blogger:parent>{Blog}.post-{post}</blogger:parent><blogger:inReplyTo>{inReplyTo}</blogger:inReplyTo><blogger:trashed>{trashed}</blogger:trashed>");

    [Fact]
    public void The_takeout_layout_gives_threads_and_comments_with_their_parents()
    {
        var records = Read(Format, Takeout("<link rel='alternate' type='text/html' href='https://b.blogspot.com/'/>",
            TakeoutComment("502", "500", inReplyTo: $"{Blog}.post-501"),
            TakeoutEntry("500", "POST", extra: "<blogger:trashed></blogger:trashed>"),
            TakeoutComment("501", "500")));

        Assert.Equal(
            [
                new ImportedComment("502", "500", "501", "Cy", null, "https://cy.example/", Utc(2019, 2, 3, 4, 5, 6), "<p>Hi</p>", ImportedState.Approved),
                new ImportedThread("500", "https://b.blogspot.com/2019/02/post-500.html", null, "Title 500", false, Utc(2019, 2, 3, 4, 5, 6)),
                new ImportedComment("501", "500", null, "Cy", null, "https://cy.example/", Utc(2019, 2, 3, 4, 5, 6), "<p>Hi</p>", ImportedState.Approved),
            ],
            records);
    }

    [Fact]
    public void Without_a_link_to_the_blog_a_takeout_thread_keeps_the_path_blogger_gives()
    {
        var thread = Read(Format, Takeout("", TakeoutEntry("500", "POST"))).OfType<ImportedThread>().Single();

        Assert.Equal("/2019/02/post-500.html", thread.Url);
    }

    [Fact]
    public void Takeout_drafts_scheduled_and_binned_posts_are_skipped_and_comment_states_are_kept()
    {
        var records = Read(Format, Takeout("",
            TakeoutEntry("600", "POST", status: "DRAFT"),
            TakeoutEntry("601", "POST", status: "SCHEDULED"),
            TakeoutEntry("602", "POST", status: "SOFT_TRASHED"),
            TakeoutEntry("603", "PAGE", extra: "<blogger:trashed>2020-01-01T00:00:00Z</blogger:trashed>"),
            TakeoutComment("610", "500", status: "SPAM_COMMENT"),
            TakeoutComment("611", "500", status: "PENDING"),
            TakeoutComment("612", "500", trashed: "2020-01-01T00:00:00Z"),
            TakeoutComment("613", "500", status: "DELETED"),
            TakeoutComment("614", "500", status: "SOMETHING_NEW")));

        Assert.Equal(
            [
                "skip 600 draft", "skip 601 scheduled", "skip 602 trashed", "skip 603 trashed",
                "comment 610 Spam", "comment 611 Pending", "comment 612 Deleted", "comment 613 Deleted", "comment 614 Pending",
            ],
            records.Select(r => r is ImportedComment c ? $"{Describe(c)} {c.State}" : Describe(r)));
    }

    [Fact]
    public void A_takeout_page_with_comments_is_a_thread()
    {
        var records = Read(Format, Takeout("", TakeoutComment("701", "700"), TakeoutEntry("700", "PAGE"), TakeoutEntry("710", "PAGE")));

        Assert.Equal(["comment 701", "thread 700 /2019/02/post-700.html", "skip 710 page"], records.Select(Describe));
    }

    [Fact]
    public void A_comment_without_a_name_or_post_is_still_accounted_for()
    {
        var records = Read(Format, Takeout("",
            TakeoutEntry("800", "COMMENT", author: "<blogger:type>ANONYMOUS</blogger:type>",
                extra: "<blogger:parent>" + Blog + ".post-500</blogger:parent>"),
            TakeoutEntry("801", "COMMENT")));

        var comment = Assert.IsType<ImportedComment>(records[0]);
        Assert.Equal(("", null, null), (comment.AuthorName, comment.AuthorEmail, comment.AuthorUrl));
        Assert.Equal(new ImportedSkip("801", "comment without its post"), records[1]);
    }

    [Fact]
    public void Both_layouts_may_be_mixed_and_each_entry_is_read_by_what_it_holds()
    {
        var xml = Takeout("", TakeoutComment("901", "900")).Replace("</feed>",
            ClassicComment("902", "900").Replace("<entry>", "<entry xmlns:thr='http://purl.org/syndication/thread/1.0' xmlns:gd='http://schemas.google.com/g/2005'>") + "</feed>");

        Assert.Equal(["comment 901", "comment 902"], Read(Format, xml).Select(Describe));
    }

    [Fact]
    public void A_file_that_is_not_an_atom_feed_is_refused()
    {
        var (_, error) = ReadUntilError(Format, "<?xml version='1.0'?>\n<rss version='2.0'><channel/></rss>");

        Assert.NotNull(error);
        Assert.Contains("not a Blogger export", error.Message);
        Assert.Equal((2, 2), (error.Line, error.Position));
    }

    [Fact]
    public void A_billion_laughs_dtd_is_refused_before_anything_is_expanded()
    {
        var (records, error) = ReadUntilError(Format, BillionLaughs + "<feed xmlns='http://www.w3.org/2005/Atom'><title>&lol9;</title></feed>");

        Assert.Empty(records);
        Assert.NotNull(error);
        Assert.Contains("<!DOCTYPE", error.Message);
    }

    [Fact]
    public void A_truncated_file_fails_naming_the_line_and_position_where_it_ends()
    {
        var whole = Takeout("", TakeoutEntry("500", "POST"), TakeoutComment("501", "500"));
        var cut = whole[..whole.LastIndexOf("<content", StringComparison.Ordinal)];

        var (records, error) = ReadUntilError(Format, cut);

        Assert.NotNull(error);
        Assert.Equal(cut.Split('\n').Length, error.Line);
        Assert.Contains($"line {error.Line}, position {error.Position}", error.Message);
        Assert.Equal(["thread 500 /2019/02/post-500.html"], records.Select(Describe));
    }

    [Fact]
    public void A_comment_with_no_date_is_an_error_naming_its_place()
    {
        var entry = TakeoutComment("501", "500");
        entry = string.Join('\n', entry.Split('\n').Where(line => !line.Contains("<published>") && !line.Contains("<updated>") && !line.Contains("<blogger:created>")));

        var (_, error) = ReadUntilError(Format, Takeout("", entry));

        Assert.NotNull(error);
        Assert.Contains("501", error.Message);
        Assert.Equal(6, error.Line);
    }

    static string Describe(ImportRecord record) => record switch
    {
        ImportedThread t => $"thread {t.SourceId} {t.Url}",
        ImportedComment c => $"comment {c.SourceId}",
        ImportedSkip s => $"skip {s.SourceId} {s.Reason}",
        _ => record.ToString()!,
    };
}
