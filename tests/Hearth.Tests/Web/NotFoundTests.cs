using System.Net;
using System.Net.Http.Headers;
using Hearth.Web;

namespace Hearth.Tests.Web;

public class NotFoundTests(HearthApp app) : IClassFixture<HearthApp>
{
    /// <summary>What Chromium and Firefox send when a person opens an address.</summary>
    const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

    async Task<HttpResponseMessage> GetAsync(string path, string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        return await app.CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task AnUnknownAddressOpenedInABrowserIsAPageWithAWayHome()
    {
        using var response = await GetAsync("/no/such/page", BrowserAccept);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Not found</h1>", page);
        Assert.Contains("<a href=\"/\">Go to the home page</a>", page);
        // Its one style element runs by the nonce in the page's own policy; no script may run at all.
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'none'; style-src 'nonce-", policy);
        Assert.Contains("<style nonce=\"", page);
        Assert.DoesNotContain("<script", page);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("*/*")]
    [InlineData("application/json")]
    [InlineData("application/problem+json")]
    [InlineData("text/html;q=0.5, application/json")]
    public async Task ApiClientsGetProblemJsonForAnUnknownAddress(string? accept)
    {
        using var response = await GetAsync("/no/such/page", accept);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UnderApiEvenABrowserGetsProblemJson()
    {
        using var unknown = await GetAsync("/api/v1/nothing-here", BrowserAccept);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        using var noSite = await GetAsync("/api/v1/sites/no-such-site/thread?url=https%3A%2F%2Fblog.example%2Fa", BrowserAccept);
        Assert.Equal(HttpStatusCode.NotFound, noSite.StatusCode);
        Assert.Equal("application/problem+json", noSite.Content.Headers.ContentType?.MediaType);
        Assert.Equal("site_not_found", (await noSite.ProblemAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task TheReadersPageOfAnUnknownSiteSaysSoInHtmlToABrowserAndInJsonToAScript()
    {
        const string path = "/embed/%3Cb%3Eno-such/thread?url=https%3A%2F%2Fblog.example%2Fa";

        using var page = await GetAsync(path, BrowserAccept);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        // The problem's detail is shown, and the name from the address in it is text, not markup.
        Assert.Contains("There is no site named &#x27;&lt;b&gt;no-such&#x27;.", html);
        Assert.DoesNotContain("<b>", html);

        using var json = await GetAsync(path, "*/*");
        Assert.Equal("application/problem+json", json.Content.Headers.ContentType?.MediaType);
        Assert.Equal("site_not_found", (await json.ProblemAsync()).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData(BrowserAccept, true)]
    [InlineData("text/html", true)]
    [InlineData("text/*, application/json;q=0.5", true)]
    [InlineData("", false)]
    [InlineData("*/*", false)]
    [InlineData("application/json, text/html", false)]
    [InlineData("text/html;q=0, */*", false)]
    [InlineData("not a media type", false)]
    public void HtmlIsPreferredOnlyWhenAcceptRanksItAboveJson(string accept, bool html) =>
        Assert.Equal(html, NotFoundPage.PrefersHtml(accept));
}
