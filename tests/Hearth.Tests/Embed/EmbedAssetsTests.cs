using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;

namespace Hearth.Tests.Embed;

/// <summary>The snippet's script and what it loads: addresses, caching, and the size budgets readers pay for.</summary>
public partial class EmbedAssetsTests(HearthApp app) : IClassFixture<HearthApp>
{
    const int LoaderBudget = 2_560;
    const int FirstRenderBudget = 12 * 1_024 + 512;
    // Signed-in readers' own: the inbox, answering, linking, and following or muting people (which took it past 3 KB).
    const int MemberBudget = 4 * 1_024;
    const int MentionBudget = 3 * 1_024;

    readonly HttpClient _client = app.CreateClient();

    [GeneratedRegex(@"""(/widget/hearth\.[a-z0-9]+\.(js|css))""")]
    private static partial Regex WidgetAsset();

    [GeneratedRegex(@"""(/widget/member\.[a-z0-9]+\.js)""")]
    private static partial Regex MemberAsset();

    [GeneratedRegex(@"""(/widget/mention\.[a-z0-9]+\.js)""")]
    private static partial Regex MentionAsset();

    static int Gzipped(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(bytes);
        }
        return (int)output.Length;
    }

    [Fact]
    public async Task TheLoaderNamesFingerprintedWidgetFilesThatAreCachedForAYear()
    {
        var loader = await _client.GetAsync("/embed.js");
        Assert.Equal(HttpStatusCode.OK, loader.StatusCode);
        Assert.Equal("text/javascript", loader.Content.Headers.ContentType?.MediaType);
        Assert.True(loader.Headers.CacheControl?.MaxAge == TimeSpan.FromMinutes(5), loader.ToString());
        var assets = WidgetAsset().Matches(await loader.Content.ReadAsStringAsync()).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, assets.Count);

        foreach (var asset in assets)
        {
            var response = await _client.GetAsync(asset);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("immutable", response.Headers.CacheControl?.ToString());
            Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 1000, asset);
        }
    }

    [Fact]
    public async Task TheWidgetStaysWithinItsSizeBudgets()
    {
        var loader = await _client.GetByteArrayAsync("/embed.js");
        var assets = WidgetAsset().Matches(System.Text.Encoding.UTF8.GetString(loader)).Select(m => m.Groups[1].Value);
        var firstRender = 0;
        foreach (var asset in assets)
        {
            firstRender += Gzipped(await _client.GetByteArrayAsync(asset));
        }

        Assert.True(Gzipped(loader) <= LoaderBudget, $"The loader is {Gzipped(loader)} bytes gzipped; the budget is {LoaderBudget}.");
        Assert.True(firstRender <= FirstRenderBudget, $"The widget's JS and CSS are {firstRender} bytes gzipped; the budget is {FirstRenderBudget}.");
    }

    /// <summary>What only signed-in readers use is a script of its own, loaded for them alone, fingerprinted and small.</summary>
    [Fact]
    public async Task TheSignedInReadersScriptIsFingerprintedAndSmall()
    {
        var loader = await _client.GetStringAsync("/embed.js");
        var member = Assert.Single(MemberAsset().Matches(loader)).Groups[1].Value;
        using var response = await _client.GetAsync(member);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("immutable", response.Headers.CacheControl?.ToString());
        var size = Gzipped(await response.Content.ReadAsByteArrayAsync());
        Assert.True(size <= MemberBudget, $"The signed-in readers' script is {size} bytes gzipped; the budget is {MemberBudget}.");
    }

    /// <summary>Names to mention come in a script of their own, loaded the first time someone types "@": fingerprinted and small.</summary>
    [Fact]
    public async Task TheMentionScriptIsFingerprintedAndSmall()
    {
        var loader = await _client.GetStringAsync("/embed.js");
        var mention = Assert.Single(MentionAsset().Matches(loader)).Groups[1].Value;
        using var response = await _client.GetAsync(mention);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("immutable", response.Headers.CacheControl?.ToString());
        var size = Gzipped(await response.Content.ReadAsByteArrayAsync());
        Assert.True(size <= MentionBudget, $"The mention script is {size} bytes gzipped; the budget is {MentionBudget}.");
    }

    [Fact]
    public async Task TheLoaderIsCompressedForBrowsersThatAcceptIt()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/embed.js");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "br, gzip");
        var response = await _client.SendAsync(request);
        Assert.Equal("br", response.Content.Headers.ContentEncoding.Single());
    }

    [Fact]
    public async Task TheNoScriptPageRefusesUnknownSitesAndMissingAddresses()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/embed/no-such-site/thread?url=https://a.example/")).StatusCode);
        var site = await app.CreateSiteAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/embed/{site}/thread")).StatusCode);
    }

    [Fact]
    public async Task TheNoScriptPageLinksToOlderCommentsWhenThereAreMore()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        for (var i = 0; i < 52; i++)
        {
            await _client.CommentAsync(site, url, $"comment number {i}");
        }
        var page = await _client.GetStringAsync($"/embed/{site}/thread?url={Uri.EscapeDataString(url)}");
        Assert.Contains("comment number 0", page);
        Assert.DoesNotContain("comment number 51", page);
        var next = Regex.Match(page, "rel=\"next\" href=\"([^\"]+)\"").Groups[1].Value.Replace("&amp;", "&");
        var second = await _client.GetStringAsync($"/embed/{site}/thread{next}");
        Assert.Contains("comment number 51", second);
    }
}
