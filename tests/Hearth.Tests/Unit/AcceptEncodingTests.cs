using Hearth.Conversations;

namespace Hearth.Tests.Unit;

public class AcceptEncodingTests
{
    [Theory]
    [InlineData("", ContentCoding.Identity)]
    [InlineData("gzip, deflate, br, zstd", ContentCoding.Brotli)]
    [InlineData("gzip", ContentCoding.Gzip)]
    [InlineData("br;q=0, gzip", ContentCoding.Gzip)]
    [InlineData("br;q=0.0, gzip;q=0", ContentCoding.Identity)]
    [InlineData("*", ContentCoding.Brotli)]
    [InlineData("*, br;q=0", ContentCoding.Gzip)]
    [InlineData("identity", ContentCoding.Identity)]
    [InlineData("BR", ContentCoding.Brotli)]
    public void PicksTheBestCodingTheClientAccepts(string header, ContentCoding expected) =>
        Assert.Equal(expected, AcceptEncoding.Choose(header));
}
