using System.Net;
using System.Text.RegularExpressions;
using Hearth.Identity;
using Hearth.Tests.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Web;

/// <summary>
/// Every route a browser can GET is asked for, by a stranger and by a signed-in admin: whatever answers as HTML must
/// carry Hearth's page policy, and everything else the policy that allows nothing. A new route is covered the day it
/// is mapped; one whose parameters this test cannot fill fails until it is taught them.
/// </summary>
public partial class SecurityHeadersTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "kettle on the hob";

    /// <summary>The pages that must be found serving HTML, so the sweep cannot pass by reaching none of them.</summary>
    static readonly string[] KnownPages =
    [
        "/", "/demo", "/scalar/{documentName?}", "/embed/{site}/thread", "/account/", "/account/signin", "/account/signup",
        "/account/delete", "/account/tokens", "/account/moderate/", "/account/moderate/{site}", "/account/moderate/{site}/settings/",
        "/account/widget", "/people/{id:long}",
    ];

    [Fact]
    public async Task EveryHtmlPageHearthServesCarriesThePagePolicyAndEverythingElseAllowsNothing()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        await app.CreateClient().CommentAsync(site, url, "A comment so the thread has a page");
        var (admin, email) = await app.SignedInAsync("Hedda Headers", Password);
        var userId = await app.InDatabaseAsync(async db =>
        {
            var id = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
            await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsAdmin, true));
            return id;
        });
        var values = new Dictionary<string, string>
        {
            ["site"] = site, ["id"] = userId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["userId"] = "1", ["version"] = "1",
            ["key"] = "abc", ["name"] = "nowhere", ["documentName"] = "v1", ["path"] = "no-such-file.js", ["table"] = "days", ["file"] = "hearth.json",
        };
        var query = $"?url={Uri.EscapeDataString(url)}&site={site}&origin={Uri.EscapeDataString("https://blog.example")}&returnUrl=%2Faccount";
        var anonymous = app.NewBrowser().Client;

        var htmlPages = new HashSet<string>();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("GET") ?? true)
            .ToList();
        foreach (var endpoint in endpoints)
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            if (pattern.EndsWith("/live", StringComparison.Ordinal))
            {
                continue; // a stream (of a thread, or of an inbox) that stays open; its headers are those of every API answer
            }
            var path = Fill(pattern, values) + query;
            foreach (var client in new[] { anonymous, admin.Client })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");
                using var response = await client.SendAsync(request);
                var context = $"GET {path} ({(int)response.StatusCode})";
                Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var sniff) && sniff.Single() == "nosniff", context);
                Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var policies), context);
                var policy = policies!.Single();
                Assert.Contains("frame-ancestors 'none'", policy);
                Assert.Contains("default-src 'none'", policy);
                Assert.Contains("base-uri 'none'", policy);
                if (response.Content.Headers.ContentType?.MediaType == "text/html")
                {
                    htmlPages.Add(pattern);
                    AssertPagePolicy(context, policy, await response.Content.ReadAsStringAsync());
                }
            }
        }

        Assert.True(!KnownPages.Except(htmlPages).Any(), $"Not found serving HTML: {string.Join(", ", KnownPages.Except(htmlPages))}; found: {string.Join(", ", htmlPages)}");
        using var lost = new HttpRequestMessage(HttpMethod.Get, "/no/such/page");
        lost.Headers.Accept.ParseAdd("text/html");
        using var notFound = await anonymous.SendAsync(lost);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("nosniff", notFound.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("frame-ancestors 'none'", notFound.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("default-src 'none'", notFound.Headers.GetValues("Content-Security-Policy").Single());
    }

    /// <summary>
    /// Scripts run only from Hearth or with the response's nonce, and every inline script and style carries that
    /// nonce; nothing loads from anywhere else.
    /// </summary>
    static void AssertPagePolicy(string context, string policy, string html)
    {
        var directives = policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ').Skip(1).ToArray());
        Assert.True(directives.TryGetValue("script-src", out var scripts), $"{context}: {policy}");
        Assert.DoesNotContain("'unsafe-inline'", scripts);
        Assert.DoesNotContain("'unsafe-eval'", scripts);
        Assert.Equal("'self'", Assert.Single(directives["form-action"]));
        foreach (var (name, sources) in directives)
        {
            Assert.All(sources, source => Assert.True(source.StartsWith('\'') || source == "data:", $"{context}: {name} allows {source}"));
        }
        var nonce = scripts.Select(s => Regex.Match(s, "^'nonce-(.+)'$")).Single(m => m.Success).Groups[1].Value;
        if (!directives["style-src"].Contains("'unsafe-inline'"))
        {
            Assert.False(StyleAttribute().IsMatch(html), $"{context}: a style attribute, which the policy refuses");
        }
        foreach (Match tag in Tag().Matches(html))
        {
            var attributes = WebUtility.HtmlDecode(tag.Groups[2].Value);
            if (attributes.Contains("src=", StringComparison.Ordinal) || attributes.Contains("href=", StringComparison.Ordinal))
            {
                continue;
            }
            Assert.True(attributes.Contains($"nonce=\"{nonce}\"", StringComparison.Ordinal), $"{context}: <{tag.Groups[1].Value}{attributes}> has not the page's nonce");
        }
    }

    static string Fill(string pattern, Dictionary<string, string> values) => Parameter().Replace(pattern, m =>
    {
        var name = m.Groups[1].Value;
        Assert.True(values.TryGetValue(name, out var value), $"Teach this test a value for {{{name}}} in {pattern}");
        return Uri.EscapeDataString(value!);
    });

    [GeneratedRegex("\\{\\*{0,2}([A-Za-z]+)[^}]*\\}")]
    private static partial Regex Parameter();

    [GeneratedRegex("<[a-z][^>]*\\sstyle\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex StyleAttribute();

    [GeneratedRegex("<(script|style)\\b([^>]*)>", RegexOptions.IgnoreCase)]
    private static partial Regex Tag();
}
