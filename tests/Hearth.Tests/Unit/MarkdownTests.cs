using Hearth.Conversations;

namespace Hearth.Tests.Unit;

public class MarkdownTests
{
    readonly MarkdownRenderer _renderer = new();

    [Fact]
    public void RawHtmlIsShownAsTextNotRun()
    {
        var html = _renderer.Render("<b>bold?</b> <script>alert(1)</script>").Html;
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("&lt;b&gt;", html);
    }

    [Fact]
    public void ImagesBecomeLinksSoReadersFetchNothingFromElsewhere()
    {
        var html = _renderer.Render("![a cat](https://img.example/cat.png)").Html;
        Assert.DoesNotContain("<img", html);
        Assert.Contains("<a href=\"https://img.example/cat.png\" rel=\"nofollow ugc noopener\">a cat</a>", html);
    }

    [Fact]
    public void CodeBlocksKeepTheirText()
    {
        var html = _renderer.Render("```\nif (a < b) { return; }\n```").Html;
        Assert.Equal("<pre><code>if (a &lt; b) { return; }\n</code></pre>", html);
    }

    [Fact]
    public void WhitespaceAndCaseDoNotChangeTheDuplicateHash() =>
        Assert.Equal(MarkdownRenderer.HashBody("Nice  post\n\nThanks"), MarkdownRenderer.HashBody("nice post thanks"));

    [Fact]
    public void BidiOverridesAreRemovedFromTheSource() =>
        Assert.DoesNotContain('\u202E', _renderer.Render("abc\u202Edef").Source);

    [Fact]
    public void QuotesNestThirtyOneDeepAndListsFifteenDeepAndNoDeeper()
    {
        static string Lists(int depth) => string.Concat(Enumerable.Range(0, depth).Select(i => new string(' ', i * 2) + "- x\n"));

        var quotes = _renderer.Render(new string('>', 31) + " deep");
        Assert.Null(quotes.Refusal);
        Assert.Equal(31, System.Text.RegularExpressions.Regex.Count(quotes.Html, "<blockquote>"));
        Assert.Null(_renderer.Render(Lists(15)).Refusal);

        foreach (var tooDeep in new[] { new string('>', 32) + " deep", new string('>', 33) + " deep", Lists(16), string.Concat(Enumerable.Repeat("> 1. ", 40)) + "x" })
        {
            var refused = _renderer.Render(tooDeep);
            Assert.Equal(MarkdownRenderer.TooDeep, refused.Refusal);
            Assert.Equal(MarkdownRenderer.TooDeep, refused.Problem);
            Assert.Equal("", refused.Html);
        }
    }
}
