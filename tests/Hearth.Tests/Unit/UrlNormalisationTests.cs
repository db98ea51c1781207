using Hearth.Conversations;

namespace Hearth.Tests.Unit;

public class UrlNormalisationTests
{
    [Theory]
    [InlineData("HTTPS://Blog.Example/Post", "https://blog.example/Post")]
    [InlineData("https://blog.example:443/a", "https://blog.example/a")]
    [InlineData("http://blog.example:80/a", "http://blog.example/a")]
    [InlineData("http://blog.example:8080/a", "http://blog.example:8080/a")]
    [InlineData("https://blog.example/a#comment-12", "https://blog.example/a")]
    [InlineData("https://blog.example", "https://blog.example/")]
    [InlineData("https://blog.example/a?utm_source=x&utm_campaign=y", "https://blog.example/a")]
    [InlineData("https://blog.example/a?id=3&fbclid=abc&gclid=def", "https://blog.example/a?id=3")]
    [InlineData("https://blog.example/a?mc_cid=1&mc_eid=2&page=2", "https://blog.example/a?page=2")]
    [InlineData("https://user:secret@blog.example/a", "https://blog.example/a")]
    [InlineData("  https://blog.example/a  ", "https://blog.example/a")]
    [InlineData("https://bücher.example/a", "https://xn--bcher-kva.example/a")]
    [InlineData("http://[::1]:8080/p#x", "http://[::1]:8080/p")]
    [InlineData("https://[2001:DB8::1]/p", "https://[2001:db8::1]/p")]
    public void LinksToOnePageNormaliseToOneAddress(string raw, string expected) =>
        Assert.Equal(expected, ThreadAddress.NormalizeUrl(raw));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/relative")]
    [InlineData("ftp://files.example/a")]
    [InlineData("javascript:alert(1)")]
    [InlineData("file:///etc/passwd")]
    public void NonWebAddressesAreRejected(string? raw) => Assert.Null(ThreadAddress.NormalizeUrl(raw));

    [Theory]
    [InlineData("HTTPS://Blog.Example:443/", "https://blog.example")]
    [InlineData("http://localhost:8080", "http://localhost:8080")]
    [InlineData("http://[::1]:8080", "http://[::1]:8080")]
    public void SiteOriginsAreWrittenAsBrowsersSendThem(string raw, string expected)
    {
        Assert.True(Hearth.Sites.SiteOrigin.TryNormalize(raw, out var origin));
        Assert.Equal(expected, origin);
    }

    [Theory]
    [InlineData("https://blog.example/path")]
    [InlineData("ftp://blog.example")]
    [InlineData("https://user@blog.example")]
    public void OriginsWithAPathOrAnotherSchemeAreRefused(string raw) =>
        Assert.False(Hearth.Sites.SiteOrigin.TryNormalize(raw, out _));

    [Theory]
    [InlineData("https://blog.example/post", true)]
    [InlineData("https://blog.example/", true)]
    [InlineData("http://localhost:8080/demo", true)]
    [InlineData("http://[::1]:8080/p", true)]
    [InlineData("https://evil.example/", false)]
    [InlineData("http://blog.example/post", false)]
    [InlineData("https://blog.example:8443/post", false)]
    [InlineData("https://blog.example.evil.example/post", false)]
    [InlineData("https://evilblog.example/post", false)]
    [InlineData("http://localhost:8081/demo", false)]
    public void APageBelongsToASiteOnlyUnderOneOfItsOrigins(string url, bool under) =>
        Assert.Equal(under, ThreadAddress.IsUnder(ThreadAddress.NormalizeUrl(url)!, ["https://blog.example", "http://localhost:8080", "http://[::1]:8080"]));

    [Fact]
    public void OverlongAddressesAreRejected() =>
        Assert.Null(ThreadAddress.NormalizeUrl("https://blog.example/" + new string('a', 2100)));

    [Fact]
    public void AnIdentifierMakesTheKeyWhateverTheUrl()
    {
        var a = new ThreadAddress("https://a.example/x", "post-1");
        var b = new ThreadAddress("https://b.example/y", "post-1");
        Assert.Equal(a.Key, b.Key);
        Assert.NotEqual(new ThreadAddress("https://a.example/x", null).Key, a.Key);
    }
}
