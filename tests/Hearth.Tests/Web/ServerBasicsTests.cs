using System.Net;

namespace Hearth.Tests.Web;

public class ServerBasicsTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task HealthEndpointSaysHealthy()
    {
        var response = await _client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApiDocumentDescribesThePublicRoutes()
    {
        var document = await _client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/v1/sites/{site}/thread", document);
        Assert.Contains("/api/v1/sites/{site}/comments", document);
        Assert.Contains("/api/v1/sites/{site}/comments/{id}/vote", document);
    }

    [Fact]
    public async Task ApiReferencePageIsServedFromThisServer()
    {
        var page = await _client.GetStringAsync("/scalar/v1");
        Assert.Contains("<script", page);
        Assert.DoesNotContain("cdn.jsdelivr.net", page);
    }

    [Fact]
    public async Task DemoPageCarriesTheEmbedSnippetWithANoScriptFallback()
    {
        var page = await _client.GetStringAsync("/demo");
        Assert.Contains("Keeping a kitchen garden alive through winter", page);
        Assert.Contains("<div id=\"hearth-thread\"></div>", page);
        Assert.Contains("src=\"/embed.js\" data-site=\"demo\"", page);
        Assert.Contains("<noscript><a href=\"/embed/demo/thread?", page);
    }

    [Fact]
    public async Task TheSeededConversationIsReadableWithoutJavaScript()
    {
        var page = await _client.GetStringAsync("/embed/demo/thread?url=http%3A%2F%2Flocalhost%3A8080%2Fdemo&identifier=hearth-demo");
        Assert.Contains("7 comments", page);
        Assert.Contains("Marta Kowalczyk", page);
        Assert.Contains("class=\"hearth-replies\"", page);
        Assert.Contains("<link rel=\"canonical\" href=\"http://localhost:8080/demo\">", page);
        Assert.Contains("href=\"http://localhost:8080/demo#hearth-thread\"", page);
    }

    [Fact]
    public async Task UnknownRoutesAnswerWithProblemJson()
    {
        var response = await _client.GetAsync("/api/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
