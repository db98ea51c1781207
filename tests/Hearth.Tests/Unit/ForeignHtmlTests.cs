using Hearth.Conversations;
using Hearth.Portability;

namespace Hearth.Tests.Unit;

public class ForeignHtmlTests
{
    readonly MarkdownRenderer _renderer = new();

    [Theory]
    [InlineData("<p>hi</p><script>alert(1)</script>", "<p>hi</p>")]
    [InlineData("<p onclick=\"steal()\">hi</p><style>p{color:red}</style>", "<p>hi</p>")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>", "<a rel=\"nofollow ugc noopener\">x</a>")]
    [InlineData("<img src=\"https://tracker.example/p.gif\" onerror=\"x()\">text", "text")]
    [InlineData("<iframe src=\"https://evil.example\">inside</iframe><b>bold</b>", "bold")]
    [InlineData("<p>&#x202E;reversed</p>", "<p>reversed</p>")]
    public void ForeignHtmlKeepsOnlyWhatHearthsOwnCommentsMayHold(string html, string expected)
    {
        var body = _renderer.SanitizeForeign(html);
        Assert.Equal(expected, body.Html);
        Assert.DoesNotContain("alert", body.Source);
    }

    [Fact]
    public void MarkupNestedDeeperThanAnyConversationKeepsItsWordsOnly()
    {
        var deep = string.Concat(Enumerable.Repeat("<blockquote>", 100_000)) + "deep words" + string.Concat(Enumerable.Repeat("</blockquote>", 100_000));
        var body = _renderer.SanitizeForeign(deep);
        Assert.Equal("<p>deep words</p>", body.Html);
        Assert.Equal("deep words", body.Source);
    }

    /// <summary>
    /// Shapes a scan of the text would count as flat but the parser nests: a "/" on an element that is not void, end
    /// tags nothing opened, an unknown element whose name begins like a void one. A thousand levels is past the limit
    /// and still within what the sanitiser's recursion survives, so the old guess fails here instead of ending the process.
    /// </summary>
    [Theory]
    [InlineData("<blockquote/>", "")]
    [InlineData("<blockquote></x>", "")]
    [InlineData("<brx>", "")]
    [InlineData("<imgs>", "</imgs>")]
    public void MarkupTheParserNestsDeeperThanAnyConversationKeepsItsWordsOnlyWhateverItLooksLike(string open, string close)
    {
        var deep = string.Concat(Enumerable.Repeat(open, 1_000)) + "deep words" + string.Concat(Enumerable.Repeat(close, 1_000));
        var body = _renderer.SanitizeForeign(deep);
        Assert.Equal("<p>deep words</p>", body.Html);
        Assert.Equal("deep words", body.Source);
    }

    [Fact]
    public void MarkupWithMoreTagsThanAnyCommentNeedsIsNotParsedAndKeepsItsWordsOnly()
    {
        var flat = string.Concat(Enumerable.Range(0, 5_000).Select(i => $"<b>w{i}</b>"));
        var body = _renderer.SanitizeForeign(flat);
        Assert.Equal("<p>" + string.Join(' ', Enumerable.Range(0, 5_000).Select(i => $"w{i}")) + "</p>", body.Html);
    }

    /// <summary>
    /// Past the tag limit, the tags are taken out in one pass over the text: tag openings that never close made each of
    /// them a search to the end of the field, growing with the square of its length (450,000 of them: 6.6 s with the
    /// backtracking engine, 2 ms without, measured on their own), and an import file holds as many such fields as it likes.
    /// </summary>
    [Fact]
    public void TagsThatNeverCloseAreTakenOutInOnePass()
    {
        var field = string.Concat(Enumerable.Range(0, 5_000).Select(i => $"<b>w{i}</b>")) + string.Concat(Enumerable.Repeat("<a", 450_000));
        var body = _renderer.SanitizeForeign(field);
        Assert.StartsWith("<p>w0 w1 w2", body.Html);
        Assert.Contains("w4999", body.Html);
    }

    /// <summary>
    /// Formatting left open when its paragraph closes is opened again, a copy each, in every later paragraph (the HTML
    /// standard's rule): thirty open tags and a thousand short paragraphs, a thousand tags, parse into some 32,000 nodes.
    /// </summary>
    [Fact]
    public void MarkupThatParsesIntoMoreNodesThanAnyCommentNeedsKeepsItsWordsOnly()
    {
        var open = string.Concat(Enumerable.Range(0, 30).Select(i => $"<b title=\"{i}\">"));
        var html = "<p>" + open + "</p>" + string.Concat(Enumerable.Repeat("<p>x</p>", 1_000));
        var body = _renderer.SanitizeForeign(html);
        Assert.Equal("<p>" + string.Join(' ', Enumerable.Repeat("x", 1_000)) + "</p>", body.Html);
    }

    /// <summary>A long comment of many paragraphs, lists and quotes is far inside the bounds, and keeps its formatting.</summary>
    [Fact]
    public void ALongRichlyFormattedCommentKeepsItsFormatting()
    {
        var paragraphs = string.Concat(Enumerable.Range(0, 400).Select(i =>
            $"<p>Paragraph {i} with <em>some</em> <strong>emphasis</strong>.</p><blockquote><p>Quoted {i}</p></blockquote><ul><li>item {i}</li></ul>"));
        var body = _renderer.SanitizeForeign(paragraphs);
        Assert.Equal(paragraphs, body.Html);
    }

    [Fact]
    public void AMapReplacesTheFirstMatchingPrefixAndAMapFileNamesItsBadLine()
    {
        var map = new UrlMap();
        Assert.Null(map.Add("https://old.example/blog/=https://new.example/"));
        Assert.Null(map.AddFile(new StringReader("# comment\n\nhttp://old.example/,https://new.example/old/\n")));
        Assert.Equal("https://new.example/post?x=1", map.Apply("https://old.example/blog/post?x=1"));
        Assert.Equal("https://new.example/old/page", map.Apply("http://old.example/page"));
        Assert.Equal("https://other.example/", map.Apply("https://other.example/"));
        Assert.NotNull(map.Add("=https://new.example/"));
        Assert.Equal("line 2 of the map file is not old,new.", new UrlMap().AddFile(new StringReader("a,b\nno comma here\n")));
    }
}
