using System.Text;

namespace Hearth.Tests.Portability;

/// <summary>Disqus exports written by hand, each with what it is meant to exercise.</summary>
public static class DisqusFiles
{
    /// <summary>
    /// Every element of the format and the odd cases: a post before its thread, a reply before its parent, an empty
    /// identifier, CDATA and entities, emoji, script markup, a deleted comment with a reply and one without, spam, a
    /// closed thread, a comment waiting for moderation, a deleted thread, a thread with no address, unknown elements, an offset date, an IP address.
    /// </summary>
    public const string Everything = """
        <?xml version="1.0" encoding="utf-8"?>
        <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
          <category dsq:id="10"><forum>oldblog</forum><title>General</title><isDefault>true</isDefault></category>
          <post dsq:id="101">
            <id />
            <message><![CDATA[<p>Hello &amp; <b>world</b> 👋</p><script>alert('boom')</script>]]></message>
            <createdAt>2012-01-02T10:00:00Z</createdAt>
            <isDeleted>false</isDeleted>
            <isSpam>false</isSpam>
            <author><email>anna@example.com</email><name>Anna Early</name><isAnonymous>false</isAnonymous><username>anna</username></author>
            <ipAddress>203.0.113.7</ipAddress>
            <thread dsq:id="1" />
            <somethingNew><nested>ignored</nested></somethingNew>
          </post>
          <post dsq:id="103">
            <message><![CDATA[<p>Third, answering the second</p>]]></message>
            <createdAt>2012-01-02T12:00:00Z</createdAt>
            <isDeleted>false</isDeleted><isSpam>false</isSpam>
            <author><email>anna@example.com</email><name>Anna Early</name><isAnonymous>false</isAnonymous></author>
            <ipAddress>203.0.113.7</ipAddress>
            <thread dsq:id="1" /><parent dsq:id="102" />
          </post>
          <post dsq:id="104">
            <message><![CDATA[<p>Waiting for a moderator</p>]]></message>
            <createdAt>2012-01-03T08:00:00Z</createdAt>
            <isDeleted>false</isDeleted><isSpam>false</isSpam><isApproved>false</isApproved>
            <author><email>pat@example.com</email><name>Pat Pending</name></author>
            <thread dsq:id="1" />
          </post>
          <thread dsq:id="1">
            <id></id>
            <forum>oldblog</forum>
            <category dsq:id="10" />
            <link>https://old.example/posts/one?utm_source=feed&amp;page=2</link>
            <title>Post one</title>
            <message />
            <createdAt>2012-01-01T09:00:00Z</createdAt>
            <author><email>owner@example.com</email><name>Owner</name><isAnonymous>false</isAnonymous><username>owner</username></author>
            <ipAddress>127.0.0.1</ipAddress>
            <isClosed>false</isClosed>
            <isDeleted>false</isDeleted>
          </thread>
          <post dsq:id="102">
            <message>&lt;p&gt;Second: 1 &amp;lt; 2 🎉 ünïcødé&lt;/p&gt;</message>
            <createdAt>2012-01-02T13:00:00+02:00</createdAt>
            <isDeleted>false</isDeleted><isSpam>false</isSpam>
            <author><email></email><name>Bo Answer</name><isAnonymous>true</isAnonymous></author>
            <thread dsq:id="1" /><parent dsq:id="101" />
          </post>
          <thread dsq:id="2">
            <id>page-two</id>
            <link>https://blog.example/two</link>
            <title>Two</title>
            <createdAt>2013-01-01T00:00:00Z</createdAt>
            <isClosed>true</isClosed><isDeleted>false</isDeleted>
          </thread>
          <post dsq:id="201">
            <message><![CDATA[<p>Going away</p>]]></message>
            <createdAt>2013-01-02T00:00:00Z</createdAt>
            <isDeleted>true</isDeleted><isSpam>false</isSpam>
            <author><email>gone@example.com</email><name>Gone Person</name></author>
            <thread dsq:id="2" />
          </post>
          <post dsq:id="202">
            <message><![CDATA[<p>Answer to a deleted one <a href="javascript:alert(1)" onclick="steal()">click</a> <a href="https://ok.example/">ok</a></p>]]></message>
            <createdAt>2013-01-03T00:00:00Z</createdAt>
            <isDeleted>false</isDeleted><isSpam>false</isSpam>
            <author><email>cy@example.com</email><name>Cy</name></author>
            <thread dsq:id="2" /><parent dsq:id="201" />
          </post>
          <post dsq:id="203">
            <message><![CDATA[<p>Deleted, no answers</p>]]></message>
            <createdAt>2013-01-04T00:00:00Z</createdAt>
            <isDeleted>true</isDeleted><isSpam>false</isSpam>
            <author><email>cy@example.com</email><name>Cy</name></author>
            <thread dsq:id="2" />
          </post>
          <post dsq:id="204">
            <message><![CDATA[<p>Buy cheap pills</p>]]></message>
            <createdAt>2013-01-05T00:00:00Z</createdAt>
            <isDeleted>false</isDeleted><isSpam>true</isSpam>
            <author><email>spam@example.com</email><name>Spammer</name></author>
            <thread dsq:id="2" />
          </post>
          <thread dsq:id="3">
            <id>gone-page</id><link>https://blog.example/three</link><title>Three</title>
            <createdAt>2014-01-01T00:00:00Z</createdAt><isClosed>false</isClosed><isDeleted>true</isDeleted>
          </thread>
          <post dsq:id="301">
            <message>In a deleted thread</message>
            <createdAt>2014-01-02T00:00:00Z</createdAt>
            <isDeleted>false</isDeleted><isSpam>false</isSpam>
            <author><name>Dee</name></author>
            <thread dsq:id="3" />
          </post>
          <thread dsq:id="4">
            <id></id><link>not a link</link><title>Nowhere</title>
            <isClosed>false</isClosed><isDeleted>false</isDeleted>
          </thread>
          <somethingElse>passed over</somethingElse>
        </disqus>
        """;

    public const string BillionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
        ]>
        <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
          <thread dsq:id="1"><id>x</id><link>https://blog.example/x</link><title>&lol3;</title></thread>
        </disqus>
        """;

    /// <summary>The Everything file cut off in the middle of a post: the threads and posts before the cut are well-formed.</summary>
    public static string Truncated => Everything[..Everything.IndexOf("<post dsq:id=\"202\">", StringComparison.Ordinal)] + "<post dsq:id=\"202\"><message>cut";

    /// <summary>A thread of one long chain of replies, listed from the deepest to the first.</summary>
    public static string Chain(string identifier, int length)
    {
        var file = new StringBuilder("""
            <?xml version="1.0" encoding="utf-8"?>
            <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
            """);
        for (var i = length; i >= 1; i--)
        {
            file.Append($"""<post dsq:id="c{i}"><message>Level {i}</message><createdAt>2015-01-01T00:00:{i % 60:00}Z</createdAt>""")
                .Append($"""<author><email>p{i % 3}@example.com</email><name>Person {i % 3}</name></author><thread dsq:id="chain" />""")
                .Append(i > 1 ? $"""<parent dsq:id="c{i - 1}" />""" : "").Append("</post>\n");
        }
        file.Append($"""<thread dsq:id="chain"><id>{identifier}</id><link>https://blog.example/chain</link><title>Chain</title></thread></disqus>""");
        return file.ToString();
    }

    /// <summary>Many threads of flat and nested comments, for imports that run while the site is in use.</summary>
    public static string Many(string prefix, int threads, int perThread)
    {
        var file = new StringBuilder("""
            <?xml version="1.0" encoding="utf-8"?>
            <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
            """);
        for (var t = 0; t < threads; t++)
        {
            file.Append($"""<thread dsq:id="{prefix}t{t}"><id></id><link>https://blog.example/{prefix}/{t}</link><title>Page {t}</title></thread>""").Append('\n');
            for (var c = 0; c < perThread; c++)
            {
                file.Append($"""<post dsq:id="{prefix}t{t}c{c}"><message><![CDATA[<p>Comment {c} on page {t}</p>]]></message><createdAt>2016-02-03T04:05:06Z</createdAt>""")
                    .Append($"""<author><email>w{c % 7}@example.com</email><name>Writer {c % 7}</name></author><thread dsq:id="{prefix}t{t}" />""")
                    .Append(c > 0 && c % 3 != 0 ? $"""<parent dsq:id="{prefix}t{t}c{c - 1}" />""" : "").Append("</post>\n");
            }
        }
        return file.Append("</disqus>").ToString();
    }
}
