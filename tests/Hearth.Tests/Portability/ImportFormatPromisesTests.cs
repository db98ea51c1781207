using System.Globalization;
using System.Text;
using System.Text.Json;
using Hearth.Tests.Processes;

namespace Hearth.Tests.Portability;

/// <summary>
/// Promises docs/import.md makes of the formats `hearth import` reads, kept as an operator meets them: the command run on
/// a data folder, and what it stored read back with `hearth export --format json`, on either database.
/// </summary>
public sealed class ImportFormatPromisesTests
{
    const int FieldLimit = 1_000_000;
    const int RecordsABatch = 2_000;

    static async Task AddSiteAsync(DataFolder data, string site, params string[] origins)
    {
        var add = await HearthCommand.RunAsync(["sites", "add", site, .. origins.SelectMany(o => new[] { "--origin", o }), "--data", data.Path]);
        Assert.True(add.ExitCode == 0, add.ToString());
    }

    static async Task<CliResult> ImportAsync(DataFolder data, string site, string format, string fileName, string contents, params string[] options)
    {
        var file = Path.Combine(data.Path, fileName);
        await File.WriteAllTextAsync(file, contents, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return await HearthCommand.RunAsync(["import", format, file, "--site", site, .. options, "--data", data.Path]);
    }

    static async Task<JsonElement> ExportAsync(DataFolder data, string site)
    {
        var export = await HearthCommand.RunAsync("export", "--site", site, "--format", "json", "--data", data.Path);
        Assert.True(export.ExitCode == 0, export.ToString());
        return JsonDocument.Parse(export.Stdout).RootElement;
    }

    static List<JsonElement> Comments(JsonElement export) => [.. export.GetProperty("comments").EnumerateArray()];

    static Dictionary<string, JsonElement> ByAuthor(JsonElement export) =>
        Comments(export).ToDictionary(c => c.GetProperty("author").GetProperty("name").GetString()!);

    static DateTime Date(JsonElement comment) => DateTime.Parse(comment.GetProperty("createdAt").GetString()!, CultureInfo.InvariantCulture,
        DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    static string HearthExport(string field) => "{\"format\":\"hearth-export\",\"version\":1,"
        + "\"threads\":[{\"id\":1,\"url\":\"https://blog.example/long\",\"title\":\"Long\",\"locked\":false}],"
        + "\"comments\":[{\"id\":1,\"threadId\":1,\"status\":\"published\",\"author\":{\"name\":\"Ann\"},"
        + "\"source\":\"" + field + "\",\"html\":\"<p>Kept</p>\",\"createdAt\":\"2025-01-01T10:00:00Z\"}]}";

    /// <summary>
    /// The limit is on characters, not bytes: "\u00e9" is six bytes of the file for one character, so a field of such
    /// escapes at the limit is six times as long on disk as one of plain letters.
    /// </summary>
    [Theory]
    [InlineData("x")]
    [InlineData("\\u00e9")]
    public async Task AHearthExportFieldOfAMillionCharactersIsReadAndOneCharacterMoreStopsTheImportWithNothingImported(string character)
    {
        using var data = new DataFolder();
        await AddSiteAsync(data, "blog", "https://blog.example");

        var over = await ImportAsync(data, "blog", "hearth", "over.json", HearthExport(string.Concat(Enumerable.Repeat(character, FieldLimit + 1))));

        Assert.True(over.ExitCode == 1, over.ToString());
        Assert.Contains("over.json: A field is longer than 1,000,000 characters", over.Stderr);
        Assert.Contains("Nothing was imported.", over.Stderr);
        Assert.Equal("", over.Stdout);
        var refused = await ExportAsync(data, "blog");
        Assert.Empty(Comments(refused));
        Assert.Empty(refused.GetProperty("threads").EnumerateArray());

        var at = await ImportAsync(data, "blog", "hearth", "at.json", HearthExport(string.Concat(Enumerable.Repeat(character, FieldLimit))));

        Assert.True(at.ExitCode == 0, at.ToString());
        Assert.Contains("Comments imported: 1", at.Stdout);
        Assert.Equal("<p>Kept</p>", Assert.Single(Comments(await ExportAsync(data, "blog"))).GetProperty("html").GetString());
    }

    /// <summary>
    /// A Disqus file of exactly <paramref name="records"/> records (one thread, the rest its comments). Comment c1 answers
    /// the last comment and the last answers c0, so past a batch's end each reply's parent is staged in another batch,
    /// listed before or after it. With <paramref name="broken"/>, one more post follows that names no thread.
    /// </summary>
    static string Records(string prefix, int records, bool broken = false)
    {
        var comments = records - 1;
        var last = $"{prefix}{comments - 1}";
        var file = new StringBuilder($"""
            <?xml version="1.0" encoding="utf-8"?>
            <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
            <thread dsq:id="{prefix}"><id></id><link>https://blog.example/{prefix}</link><title>Busy</title></thread>

            """);
        for (var i = 0; i < comments; i++)
        {
            var parent = i == 1 ? last : i == comments - 1 ? $"{prefix}0" : null;
            file.Append($"""<post dsq:id="{prefix}{i}"><message>Comment {i}</message><createdAt>2016-02-03T04:05:06Z</createdAt>""")
                .Append($"""<author><name>Writer {i}</name></author><thread dsq:id="{prefix}" />""")
                .Append(parent is null ? "" : $"""<parent dsq:id="{parent}" />""").Append("</post>\n");
        }
        if (broken)
        {
            file.Append($"""<post dsq:id="{prefix}broken"><message>Nowhere</message><createdAt>2016-02-03T04:05:06Z</createdAt></post>""").Append('\n');
        }
        return file.Append("</disqus>").ToString();
    }

    [Theory]
    [InlineData(RecordsABatch)]
    [InlineData(RecordsABatch + 1)]
    public async Task AFileOfOneBatchOfTwoThousandRecordsOrOneRecordMoreArrivesWholeWithItsRepliesAcrossTheBatches(int records)
    {
        using var data = new DataFolder();
        await AddSiteAsync(data, "blog", "https://blog.example");

        var import = await ImportAsync(data, "blog", "disqus", "busy.xml", Records("b", records));

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("Threads created: 1", import.Stdout);
        Assert.Contains($"Comments imported: {records - 1} ", import.Stdout);
        var comments = ByAuthor(await ExportAsync(data, "blog"));
        Assert.Equal(records - 1, comments.Count);
        var (first, second, last) = (comments["Writer 0"], comments["Writer 1"], comments[$"Writer {records - 2}"]);
        Assert.Equal(JsonValueKind.Null, first.GetProperty("parentId").ValueKind);
        Assert.Equal(first.GetProperty("id").GetInt64(), last.GetProperty("parentId").GetInt64());
        Assert.Equal(last.GetProperty("id").GetInt64(), second.GetProperty("parentId").GetInt64());
    }

    [Fact]
    public async Task AFileThatBreaksJustAfterAFullBatchOfTwoThousandRecordsImportsNothingOfThatBatch()
    {
        using var data = new DataFolder();
        await AddSiteAsync(data, "blog", "https://blog.example");

        var import = await ImportAsync(data, "blog", "disqus", "broken.xml", Records("x", RecordsABatch, broken: true));

        Assert.True(import.ExitCode == 1, import.ToString());
        Assert.Contains("broken.xml: Post xbroken names no thread.", import.Stderr);
        Assert.Contains("Nothing was imported.", import.Stderr);
        var export = await ExportAsync(data, "blog");
        Assert.Empty(Comments(export));
        Assert.Empty(export.GetProperty("threads").EnumerateArray());
    }

    /// <summary>A Takeout feed.atom: no link to the blog, so its posts are named by their paths alone.</summary>
    const string Takeout = """
        <?xml version='1.0' encoding='utf-8'?>
        <feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
          <id>tag:blogger.com,1999:blog-9</id>
          <title>A Takeout blog</title>
          <entry>
            <id>tag:blogger.com,1999:blog-9.post-10</id>
            <blogger:type>POST</blogger:type>
            <blogger:status>LIVE</blogger:status>
            <author><name>The author</name></author>
            <title>Our trip</title>
            <content type='html'>&lt;p&gt;The post&lt;/p&gt;</content>
            <published>2019-02-03T04:00:00Z</published>
            <blogger:filename>/2019/02/trip.html</blogger:filename>
          </entry>
          <entry>
            <id>tag:blogger.com,1999:blog-9.post-11</id>
            <blogger:parent>tag:blogger.com,1999:blog-9.post-10</blogger:parent>
            <blogger:type>COMMENT</blogger:type>
            <blogger:status>LIVE</blogger:status>
            <author><name>Cy Comments</name></author>
            <content type='html'>&lt;p&gt;Lovely photos.&lt;/p&gt;</content>
            <published>2019-02-03T05:00:00Z</published>
          </entry>
        </feed>
        """;

    [Fact]
    public async Task ATakeoutPostNamedByItsPathAloneIsTakenToBeOnTheSitesFirstOrigin()
    {
        using var data = new DataFolder();
        // The first origin sorts after the second, so neither alphabetical order nor the last origin would give it.
        await AddSiteAsync(data, "blog", "https://zeta.example", "https://alpha.example");

        var import = await ImportAsync(data, "blog", "blogger", "feed.atom", Takeout);

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("Comments imported: 1 ", import.Stdout);
        var export = await ExportAsync(data, "blog");
        var thread = Assert.Single(export.GetProperty("threads").EnumerateArray());
        Assert.Equal("https://zeta.example/2019/02/trip.html", thread.GetProperty("url").GetString());
        Assert.Equal(thread.GetProperty("id").GetInt64(), Assert.Single(Comments(export)).GetProperty("threadId").GetInt64());
    }

    const string OnTheOldBlog = """
        <?xml version="1.0" encoding="utf-8"?>
        <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
          <thread dsq:id="1"><id></id><link>https://old.example/blog/one</link><title>One</title></thread>
          <post dsq:id="11"><message>Hello</message><createdAt>2014-05-06T07:08:09Z</createdAt><author><name>Ann</name></author><thread dsq:id="1" /></post>
        </disqus>
        """;

    [Fact]
    public async Task WhenTwoMapRulesMatchAPageTheFirstGivenWinsWhicheverOrderTheyComeIn()
    {
        using var data = new DataFolder();
        await AddSiteAsync(data, "broad-first", "https://blog.example");
        await AddSiteAsync(data, "narrow-first", "https://blog.example");
        const string Broad = "https://old.example/=https://blog.example/";
        const string Narrow = "https://old.example/blog/=https://blog.example/posts/";

        var broadFirst = await ImportAsync(data, "broad-first", "disqus", "old.xml", OnTheOldBlog, "--map", Broad, "--map", Narrow);
        var narrowFirst = await ImportAsync(data, "narrow-first", "disqus", "old.xml", OnTheOldBlog, "--map", Narrow, "--map", Broad);

        Assert.True(broadFirst.ExitCode == 0, broadFirst.ToString());
        Assert.True(narrowFirst.ExitCode == 0, narrowFirst.ToString());
        Assert.Equal("https://blog.example/blog/one",
            Assert.Single((await ExportAsync(data, "broad-first")).GetProperty("threads").EnumerateArray()).GetProperty("url").GetString());
        Assert.Equal("https://blog.example/posts/one",
            Assert.Single((await ExportAsync(data, "narrow-first")).GetProperty("threads").EnumerateArray()).GetProperty("url").GetString());
    }

    /// <summary>A file of the format with two comments on one page, by Soon Sam and Later Lee, dated as given.</summary>
    static string Dated(string format, DateTime soon, DateTime later) => format switch
    {
        "disqus" => $"""
            <?xml version="1.0" encoding="utf-8"?>
            <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
              <thread dsq:id="1"><id></id><link>https://blog.example/ahead</link><title>Ahead</title></thread>
              <post dsq:id="11"><message>Soon</message><createdAt>{soon:yyyy-MM-ddTHH:mm:ssZ}</createdAt><author><name>Soon Sam</name></author><thread dsq:id="1" /></post>
              <post dsq:id="12"><message>Later</message><createdAt>{later:yyyy-MM-ddTHH:mm:ssZ}</createdAt><author><name>Later Lee</name></author><thread dsq:id="1" /></post>
            </disqus>
            """,
        "wordpress" => $"""
            <?xml version="1.0" encoding="UTF-8" ?>
            <rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">
            <channel>
              <item>
                <title>Ahead</title><link>https://blog.example/ahead/</link>
                <wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
                <wp:comment><wp:comment_id>11</wp:comment_id><wp:comment_author>Soon Sam</wp:comment_author>
                  <wp:comment_date_gmt>{soon:yyyy-MM-dd HH:mm:ss}</wp:comment_date_gmt><wp:comment_content>Soon</wp:comment_content>
                  <wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>
                <wp:comment><wp:comment_id>12</wp:comment_id><wp:comment_author>Later Lee</wp:comment_author>
                  <wp:comment_date_gmt>{later:yyyy-MM-dd HH:mm:ss}</wp:comment_date_gmt><wp:comment_content>Later</wp:comment_content>
                  <wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>
              </item>
            </channel>
            </rss>
            """,
        _ => $"""
            <?xml version='1.0' encoding='utf-8'?>
            <feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
              <entry><id>tag:blogger.com,1999:blog-9.post-10</id><blogger:type>POST</blogger:type><blogger:status>LIVE</blogger:status>
                <title>Ahead</title><published>2019-02-03T04:00:00Z</published><blogger:filename>/ahead.html</blogger:filename></entry>
              <entry><id>tag:blogger.com,1999:blog-9.post-11</id><blogger:parent>tag:blogger.com,1999:blog-9.post-10</blogger:parent>
                <blogger:type>COMMENT</blogger:type><blogger:status>LIVE</blogger:status><author><name>Soon Sam</name></author>
                <content type='html'>Soon</content><published>{soon:yyyy-MM-ddTHH:mm:ssZ}</published></entry>
              <entry><id>tag:blogger.com,1999:blog-9.post-12</id><blogger:parent>tag:blogger.com,1999:blog-9.post-10</blogger:parent>
                <blogger:type>COMMENT</blogger:type><blogger:status>LIVE</blogger:status><author><name>Later Lee</name></author>
                <content type='html'>Later</content><published>{later:yyyy-MM-ddTHH:mm:ssZ}</published></entry>
            </feed>
            """,
    };

    [Theory]
    [InlineData("disqus")]
    [InlineData("wordpress")]
    [InlineData("blogger")]
    public async Task ACommentDatedADayAfterTheImportKeepsItsDateAndOneDatedLaterCountsAsWrittenAtTheImport(string format)
    {
        using var data = new DataFolder();
        await AddSiteAsync(data, "blog", "https://blog.example");
        // Whole seconds, as the files write them; the import begins after this, so a day from now is within its day.
        var before = DateTime.UtcNow;
        before = before.AddTicks(-(before.Ticks % TimeSpan.TicksPerSecond));
        var soon = before.AddDays(1);
        var later = before.AddDays(1).AddMinutes(2);

        var import = await ImportAsync(data, "blog", format, "ahead.xml", Dated(format, soon, later));
        var after = DateTime.UtcNow;

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("Comments imported: 2 ", import.Stdout);
        var comments = ByAuthor(await ExportAsync(data, "blog"));
        Assert.Equal(soon, Date(comments["Soon Sam"]));
        var written = Date(comments["Later Lee"]);
        Assert.True(written >= before && written <= after, $"{written:O} is not between {before:O} and {after:O}");
    }

    /// <summary>A WXR 1.1 export, as WordPress 3.1 to 3.x wrote it: the wp namespace and the version say 1.1.</summary>
    const string WordPress11 = """
        <?xml version="1.0" encoding="UTF-8" ?>
        <rss version="2.0"
            xmlns:excerpt="http://wordpress.org/export/1.1/excerpt/"
            xmlns:content="http://purl.org/rss/1.0/modules/content/"
            xmlns:wfw="http://wellformedweb.org/CommentAPI/"
            xmlns:dc="http://purl.org/dc/elements/1.1/"
            xmlns:wp="http://wordpress.org/export/1.1/">
        <channel>
          <title>An older blog</title>
          <link>https://blog.example</link>
          <wp:wxr_version>1.1</wp:wxr_version>
          <item>
            <title>Bread</title>
            <link>https://blog.example/bread/</link>
            <wp:post_id>41</wp:post_id>
            <wp:post_date_gmt>2011-03-04 08:00:00</wp:post_date_gmt>
            <wp:comment_status>closed</wp:comment_status>
            <wp:status>publish</wp:status>
            <wp:post_type>post</wp:post_type>
            <wp:comment>
              <wp:comment_id>2</wp:comment_id>
              <wp:comment_author><![CDATA[Al Flour]]></wp:comment_author>
              <wp:comment_author_email>al@mail.example</wp:comment_author_email>
              <wp:comment_date>2011-03-04 10:00:00</wp:comment_date>
              <wp:comment_date_gmt>2011-03-04 09:00:00</wp:comment_date_gmt>
              <wp:comment_content><![CDATA[How long do you proof it?]]></wp:comment_content>
              <wp:comment_approved>1</wp:comment_approved>
              <wp:comment_type></wp:comment_type>
              <wp:comment_parent>0</wp:comment_parent>
            </wp:comment>
            <wp:comment>
              <wp:comment_id>3</wp:comment_id>
              <wp:comment_author><![CDATA[Bea Baker]]></wp:comment_author>
              <wp:comment_date>2011-03-04 11:00:00</wp:comment_date>
              <wp:comment_date_gmt>2011-03-04 10:00:00</wp:comment_date_gmt>
              <wp:comment_content><![CDATA[Overnight.]]></wp:comment_content>
              <wp:comment_approved>0</wp:comment_approved>
              <wp:comment_type></wp:comment_type>
              <wp:comment_parent>2</wp:comment_parent>
            </wp:comment>
            <wp:comment>
              <wp:comment_id>4</wp:comment_id>
              <wp:comment_author><![CDATA[Another Blog]]></wp:comment_author>
              <wp:comment_date_gmt>2011-03-04 12:00:00</wp:comment_date_gmt>
              <wp:comment_content><![CDATA[We linked to you]]></wp:comment_content>
              <wp:comment_approved>1</wp:comment_approved>
              <wp:comment_type>pingback</wp:comment_type>
              <wp:comment_parent>0</wp:comment_parent>
            </wp:comment>
          </item>
        </channel>
        </rss>
        """;

    [Fact]
    public async Task AWordPressExportOfVersionOnePointOneImportsWithItsTreeApprovalDatesAndClosedPost()
    {
        using var data = new DataFolder();
        await AddSiteAsync(data, "blog", "https://blog.example");

        var import = await ImportAsync(data, "blog", "wordpress", "wordpress-1.1.xml", WordPress11);

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("Threads created: 1", import.Stdout);
        Assert.Contains("Comments imported: 2 ", import.Stdout);
        Assert.Contains("Skipped (pingback): 1", import.Stdout);
        var export = await ExportAsync(data, "blog");
        var thread = Assert.Single(export.GetProperty("threads").EnumerateArray());
        Assert.Equal(("https://blog.example/bread/", "Bread", true),
            (thread.GetProperty("url").GetString(), thread.GetProperty("title").GetString(), thread.GetProperty("locked").GetBoolean()));
        var comments = ByAuthor(export);
        Assert.Equal(["Al Flour", "Bea Baker"], comments.Keys.Order());
        Assert.Equal(("published", "pending"), (comments["Al Flour"].GetProperty("status").GetString(), comments["Bea Baker"].GetProperty("status").GetString()));
        Assert.Equal(comments["Al Flour"].GetProperty("id").GetInt64(), comments["Bea Baker"].GetProperty("parentId").GetInt64());
        Assert.Equal(new DateTime(2011, 3, 4, 9, 0, 0, DateTimeKind.Utc), Date(comments["Al Flour"]));
    }
}
